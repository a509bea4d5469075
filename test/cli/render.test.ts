import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services/app/services';
import { parseWavLayout } from '../../src/main/services/recording/wav-file';
import type { Track } from '../../src/shared/domain';
import { move, splitAt } from '../../src/shared/edit';
import { generate, tempDir } from '../helpers/audio';
import { runStudio } from '../helpers/cli';
import { request } from '../helpers/services';

const dir = tempDir('studio-render-cli-');
const dataDir = join(dir, 'data');

async function json<T>(args: string[]): Promise<T> {
  const run = await runStudio([...args, '--json'], { dataDir });
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

/** Mono 48 kHz with single-sample clicks of `amplitude` at `at`, silence elsewhere. */
function clicks(name: string, seconds: number, at: number[], amplitude: number): string {
  const expr = `${amplitude}*(${at.map((n) => `eq(n\\,${n})`).join('+')})`;
  return generate(join(dir, name), `aevalsrc=exprs=${expr}:s=48000:d=${seconds}`, [
    '-c:a',
    'pcm_s16le',
  ]);
}

/** Channel 0 of a float WAV: the samples louder than `threshold`. */
function clicksIn(path: string, threshold: number): { length: number; at: number[] } {
  const file = readFileSync(path);
  const layout = parseWavLayout(file.subarray(0, 4096));
  if (!layout) throw new Error(`${path} is not a WAV`);
  const length = Math.floor((file.length - layout.dataOffset) / layout.frameBytes);
  const at: number[] = [];
  for (let i = 0; i < length; i++) {
    if (Math.abs(file.readFloatLE(layout.dataOffset + i * layout.frameBytes)) > threshold)
      at.push(i);
  }
  return { length, at };
}

describe('studio render', () => {
  let episodeId = '';
  let emptyEpisodeId = '';

  it('renders an edited episode sample-accurately', async () => {
    const show = await json<{ id: string }>(['shows', 'add', 'Render show']);
    episodeId = (await json<{ id: string }>(['episodes', 'add', '--show', show.id, 'Cut'])).id;
    emptyEpisodeId = (await json<{ id: string }>(['episodes', 'add', '--show', show.id, 'Empty']))
      .id;
    const host = clicks('host.wav', 2, [24_000, 72_000], 0.9);
    const guest = clicks('guest.wav', 1, [12_000], 0.5);
    const imported = await json<{ tracks: Track[] }>([
      'import',
      host,
      guest,
      '--episode',
      episodeId,
    ]);
    expect(imported.tracks.map((t) => t.asset?.durationSamples)).toEqual([96_000, 48_000]);
    const hostTrack = imported.tracks.find((t) => t.name.startsWith('host'))!;

    // The edit is saved as the app would: the data dir is the CLI's again once these close.
    const services = await createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
    try {
      const { edit } = await request(services, 'edit.get', { episodeId });
      const cut = splitAt(edit, {
        trackIds: [hostTrack.id],
        position: 48_000,
        newId: () => 'right',
      });
      // The right half (source 48000…96000, click at source 72000) moves to 120000.
      const moved = move(cut, { clipId: 'right', timelineStart: 120_000 });
      await request(services, 'edit.save', { episodeId, edit: moved });
    } finally {
      await services.close();
    }

    const out = join(dir, 'mix.wav');
    const run = await runStudio(['render', episodeId, '-o', out], { dataDir });
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(out);
    expect(run.stdout).toMatch(/length\s+0:00:03\.500 \(168000 samples/);
    expect(run.stdout).toMatch(/\d+(\.\d)?x realtime/);

    const mix = clicksIn(out, 0.1);
    expect(mix.length).toBe(168_000);
    expect(mix.at).toEqual([12_000, 24_000, 144_000]);

    const report = await json<{ path: string; lengthSamples: number; realtimeFactor: number }>([
      'render',
      episodeId,
      '-o',
      join(dir, 'mix.flac'),
    ]);
    expect(report).toMatchObject({ path: join(dir, 'mix.flac'), lengthSamples: 168_000 });
    expect(report.realtimeFactor).toBeGreaterThan(0);
  });

  it('says plainly what is wrong', async () => {
    const unknown = await runStudio(['render', 'no-such-episode', '-o', join(dir, 'x.wav')], {
      dataDir,
    });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Episode no-such-episode does not exist/);

    const empty = await runStudio(['render', emptyEpisodeId, '-o', join(dir, 'x.wav')], {
      dataDir,
    });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/nothing to render: the episode has no clips/i);

    const missingDir = await runStudio(
      ['render', episodeId, '-o', join(dir, 'no', 'such', 'dir', 'x.wav')],
      { dataDir },
    );
    expect(missingDir.code).toBe(1);
    expect(missingDir.stderr).toMatch(/the folder .* does not exist/);

    const badFormat = await runStudio(['render', episodeId, '-o', join(dir, 'x.mp3')], {
      dataDir,
    });
    expect(badFormat.stderr).toMatch(/use \.wav or \.flac/);
  });
});
