import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WAV_HEADER_BYTES } from '../../src/main/services/recording/wav-file';
import { TakeManifest } from '../../src/shared/recording';
import { tempDir } from '../helpers/audio';
import { repoRoot, runStudio } from '../helpers/cli';

const dir = tempDir('studio-cli-record-');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const studio = (args: string[]) => runStudio(args);

const manifestOf = (take: string) =>
  TakeManifest.parse(JSON.parse(readFileSync(join(take, 'take.json'), 'utf8')));

/** Frames ffprobe reads from a WAV's header (its data size over the frame size). */
const probedFrames = (path: string) =>
  Number(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=duration_ts', '-of', 'csv=p=0', path],
      { encoding: 'utf8' },
    ).trim(),
  );

describe('studio record / recover', () => {
  it('a take SIGKILLed with its whole process group after 3 s is recovered with at least 2 s on every track', async () => {
    const take = join(dir, 'crashed');
    const child = spawn(
      process.execPath,
      [
        'bin/studio.js',
        'record',
        '--source',
        'lavfi:sine=frequency=440',
        '--source',
        'lavfi:anoisesrc=color=pink:amplitude=0.3',
        '--out',
        take,
      ],
      // Its own process group, so the kill takes the CLI and both ffmpegs at once, as a crash would.
      { cwd: repoRoot, detached: true, stdio: 'ignore' },
    );
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // N counts from the take's start (take.json written just before the captures start), not
    // from the CLI's own start-up.
    const deadline = Date.now() + 15_000;
    while (!existsSync(join(take, 'take.json'))) {
      if (Date.now() > deadline) throw new Error('the take never started');
      await sleep(20);
    }
    await sleep(3000);
    process.kill(-child.pid!, 'SIGKILL');
    await exited;

    expect(manifestOf(take).status).toBe('recording');
    const before = manifestOf(take).tracks.map((track) => {
      const path = join(take, track.file);
      return { header: probedFrames(path), bytes: statSync(path).size };
    });

    const run = await studio(['recover', take, '--json']);
    expect(run, run.stderr).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(run.stdout) as {
      status: string;
      statusBefore: string;
      tracks: { file: string; frames: number; durationSec: number; problem: string | null }[];
    };
    console.log(
      `killed at 3 s: ${result.tracks
        .map(
          (t, i) =>
            `${t.file} ${t.durationSec} s recovered (header said ${before[i]!.header} frames, file held ${(before[i]!.bytes - WAV_HEADER_BYTES) / 4} samples)`,
        )
        .join('; ')}`,
    );
    expect(result).toMatchObject({ statusBefore: 'recording', status: 'recovered' });
    const manifest = manifestOf(take);
    expect(manifest.status).toBe('recovered');
    for (const [i, track] of result.tracks.entries()) {
      expect(track.problem).toBeNull();
      expect(track.durationSec).toBeGreaterThanOrEqual(2);
      // Real time: -re keeps lavfi at 1x, so 3 s of wall clock cannot hold much more than 3 s.
      expect(track.durationSec).toBeLessThan(3.5);
      expect(probedFrames(join(take, track.file))).toBe(track.frames);
      expect(statSync(join(take, track.file)).size).toBe(WAV_HEADER_BYTES + track.frames * 4);
      expect(manifest.tracks[i]!.frames).toBe(track.frames);
    }

    // Idempotent: a second recovery finds the same frames and changes nothing.
    const again = await studio(['recover', take, '--json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as typeof result).tracks.map((t) => t.frames)).toEqual(
      result.tracks.map((t) => t.frames),
    );
  });

  it('records for --duration and prints the tracks; bad input exits 2 or 1 with a clear message', async () => {
    const take = join(dir, 'short');
    const run = await studio([
      'record',
      '--source',
      'lavfi:sine',
      '--source',
      'lavfi:sine=frequency=880',
      '--out',
      take,
      '--duration',
      '1',
    ]);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    // Test sources are paced by the recorder itself: no offset, no drift.
    expect(run.stdout).toMatch(
      /track-1\.wav {2}track-1 {2}1\.000 s {2}1 ch {2}lavfi:sine {2}offset 0\.00 ms, drift 0 ppm\n/,
    );
    expect(run.stdout).toMatch(
      /track-2\.wav {2}track-2 {2}1\.000 s {2}1 ch {2}lavfi:sine=frequency=880/,
    );
    expect(manifestOf(take).status).toBe('stopped');

    const again = await studio(['record', '--source', 'lavfi:sine', '--out', take]);
    expect(again).toMatchObject({ code: 1, stdout: '' });
    expect(again.stderr).toMatch(/already holds a take/);

    const bad = join(dir, 'bad');
    const unknown = await studio(['record', '--source', 'mic:1', '--out', bad, '--duration', '1']);
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^studio: Unknown source "mic:1"/);
    expect(existsSync(bad)).toBe(false);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const none = await studio(['recover', empty]);
    expect(none).toMatchObject({ code: 1, stdout: '' });
    expect(none.stderr).toMatch(/holds no take \(there is no take\.json\)/);
  });
});
