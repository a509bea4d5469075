import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { call } from '../../src/main/services/app/dispatch';
import { createServices } from '../../src/main/services/app/services';
import { assetFiles } from '../../src/main/services/media/asset-files';
import { tempDir } from '../helpers/audio';
import { runStudio } from '../helpers/cli';
import { writeCrashedTake } from '../helpers/take';

const dir = tempDir('studio-cli-record-episode-');
const dataDir = join(dir, 'data');

const studio = (args: string[]) => runStudio(args, { dataDir });

async function json<T>(args: string[]): Promise<T> {
  const run = await studio([...args, '--json']);
  expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as T;
}

async function newEpisode(title: string): Promise<string> {
  const show = await json<{ id: string }>(['shows', 'add', `Show for ${title}`]);
  return (await json<{ id: string }>(['episodes', 'add', '--show', show.id, title])).id;
}

/** The episode's tracks, read from the library once the CLI has let go of it. */
async function tracksOf(episodeId: string) {
  const services = await createServices({ dataDir, transport: 'http', version: '0.0.0-test' });
  try {
    return (await call(services.dispatch, 'episodes.get', { id: episodeId })).tracks;
  } finally {
    await services.close();
  }
}

describe('studio record / recover --episode', () => {
  it('records two named sources into an episode: two tracks named after them, with loudness and peaks', async () => {
    const episodeId = await newEpisode('Recorded');
    const take = join(dir, 'named');
    const result = await json<{
      tracks: { name: string; frames: number }[];
      episode: {
        episodeId: string;
        tracks: { name: string; status: string; trackId: string; durationSec: number }[];
      };
    }>([
      'record',
      '--source',
      'host=lavfi:sine=frequency=440',
      '--source',
      'guest=lavfi:anoisesrc=color=pink:amplitude=0.3',
      '--out',
      take,
      '--duration',
      '2',
      '--episode',
      episodeId,
    ]);
    expect(result.tracks.map((t) => [t.name, t.frames])).toEqual([
      ['host', 96_000],
      ['guest', 96_000],
    ]);
    expect(result.episode.tracks).toMatchObject([
      { name: 'host', status: 'added', durationSec: 2 },
      { name: 'guest', status: 'added', durationSec: 2 },
    ]);

    const tracks = await tracksOf(episodeId);
    expect(
      tracks.map((t) => [t.name, t.position, t.asset?.kind, t.asset?.durationSamples]),
    ).toEqual([
      ['host', 0, 'recording', 96_000],
      ['guest', 1, 'recording', 96_000],
    ]);
    expect(tracks.map((t) => t.id)).toEqual(result.episode.tracks.map((t) => t.trackId));
    for (const track of tracks) {
      expect(track.asset!.loudness.integratedLufs).not.toBeNull();
      expect(statSync(join(dataDir, assetFiles.peaks(track.asset!.id))).size).toBeGreaterThan(0);
    }

    const text = await studio([
      'record',
      '--source',
      'lavfi:sine',
      '--out',
      join(dir, 'text'),
      '--duration',
      '0.5',
      '--episode',
      episodeId,
    ]);
    expect(text, text.stderr).toMatchObject({ code: 0 });
    expect(text.stdout).toMatch(/track-1\.wav {2}track-1 {2}0\.500 s/);
    expect(text.stdout).toMatch(
      new RegExp(`added to episode ${episodeId}:\\n {2}track-1 {2}0\\.500 s {2}-?\\d`),
    );
  });

  it('refuses an unknown episode before recording anything', async () => {
    const take = join(dir, 'nowhere');
    const run = await studio([
      'record',
      '--source',
      'lavfi:sine',
      '--out',
      take,
      '--duration',
      '1',
      '--episode',
      'no-such-episode',
    ]);
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect(run.stderr).toMatch(/^studio: .*[Ee]pisode.*no-such-episode/);
    expect(existsSync(take)).toBe(false);
  });

  it('recover --episode repairs a crashed take and adds its tracks', async () => {
    const episodeId = await newEpisode('Recovered');
    const take = join(dir, 'crashed');
    await writeCrashedTake(take, [
      { name: 'host', seconds: 1.5, frequency: 300 },
      { name: 'remote', seconds: 1, frequency: 700 },
    ]);
    const result = await json<{
      statusBefore: string;
      status: string;
      episode: { tracks: { name: string; status: string; durationSec: number }[] };
    }>(['recover', take, '--episode', episodeId]);
    expect(result).toMatchObject({ statusBefore: 'recording', status: 'recovered' });
    expect(result.episode.tracks).toMatchObject([
      { name: 'host', status: 'added', durationSec: 1.5 },
      { name: 'remote', status: 'added', durationSec: 1 },
    ]);
    expect((await tracksOf(episodeId)).map((t) => t.name)).toEqual(['host', 'remote']);
  });
});
