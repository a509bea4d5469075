// A disk that fills up mid-take: the take folder is a 1 MiB tmpfs, mounted in a private mount
// namespace (`unshare -m`, as root) by scenarios/record-on-full-disk.ts. Two mono float tracks
// write 384 KB/s, so the disk fills after about 2.7 s. The take must end on its own with
// 'disk_full', stop cleanly, and keep every frame written, on every track up to the same point;
// through the engine, recordTake and the real CLI alike.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseWavLayout, WAV_HEADER_BYTES } from '../../../src/main/services/recording/wav-file';
import { tempDir } from '../../helpers/audio';
import { runInMountNamespace } from '../../helpers/mount-namespace';
import type { CaseName, CaseResult, Scenario } from './scenarios/record-on-full-disk';

const dir = tempDir('studio-record-disk-full-');
const RATE = 48_000;
/** Every sample says its own index (mod one second), so a lost or repeated frame shows. */
const COUNTER = "lavfi:aevalsrc=exprs='mod(n\\,48000)/48000':s=48000";
/**
 * Each track is written in the pacer's blocks (about 960 frames, 20 ms) through its own write
 * queue; the engine stops every track at the first failure, so they differ by what the queues
 * had written by then: a block or two, more on a busy machine (56 ms seen). 0.25 s of slack.
 */
const WRITE_QUEUE_SLACK_FRAMES = 12_000;
const KEPT = /disk holding .* is full\..*everything written up to then is kept/i;

function recordOnFullDisk(cases: CaseName[]): Map<CaseName, CaseResult> {
  const scenario: Scenario = {
    root: dir,
    size: '1m',
    sources: [COUNTER, COUNTER],
    cases,
    dataDir: join(dir, 'data'),
  };
  const results = runInMountNamespace<CaseResult[]>(
    'full-disk',
    join(import.meta.dirname, 'scenarios', 'record-on-full-disk.ts'),
    scenario,
    150_000,
  );
  return new Map(results.map((r) => [r.name, r]));
}

interface TrackFile {
  frames: number;
  /** The counter's value (0…47999) at the first frame. */
  first: number;
  /** Frames whose counter does not follow the one before by exactly one. */
  jumps: number;
}

/** Checks a WAV copied out of the full disk: header sizes against the length, ffprobe, samples. */
function readTrack(path: string): TrackFile {
  const file = readFileSync(path);
  const layout = parseWavLayout(file.subarray(0, 4096));
  expect(layout, path).not.toBeNull();
  const { dataOffset, frameBytes, sampleRate } = layout!;
  expect(sampleRate).toBe(RATE);
  expect(frameBytes).toBe(4);
  expect(file.toString('ascii', 0, 4)).toBe('RIFF');
  expect(file.readUInt32LE(4) + 8, 'RIFF size').toBe(file.length);
  expect(file.readUInt32LE(dataOffset - 4) + dataOffset, 'data size').toBe(file.length);
  const frames = (file.length - dataOffset) / frameBytes;
  expect(Number.isInteger(frames), 'whole frames').toBe(true);
  const probed = JSON.parse(
    execFileSync(
      'ffprobe',
      ['-v', 'error', '-show_entries', 'stream=codec_name,duration_ts', '-of', 'json', path],
      { encoding: 'utf8' },
    ),
  ) as { streams: { codec_name: string; duration_ts: number }[] };
  expect(probed.streams[0]).toEqual({ codec_name: 'pcm_f32le', duration_ts: frames });
  // float32 holds n/48000 to well under half a step: rounding recovers n exactly.
  const counter = (i: number) => Math.round(file.readFloatLE(dataOffset + i * 4) * RATE);
  let jumps = 0;
  for (let i = 1; i < frames; i++) if ((counter(i) - counter(i - 1) + RATE) % RATE !== 1) jumps++;
  return { frames, first: counter(0), jumps };
}

describe('recording onto a disk that fills up', () => {
  let results: Map<CaseName, CaseResult>;
  beforeAll(() => {
    results = recordOnFullDisk(['engine', 'recordTake', 'cli']);
  }, 160_000);
  const result = (name: CaseName) => {
    const found = results.get(name);
    if (!found) throw new Error(`No result for ${name}`);
    return found;
  };

  it('the engine calls onTakeEnded once, with disk_full and a message saying what is kept', () => {
    const { ended } = result('engine');
    expect(ended).toHaveLength(1);
    expect(ended[0]!.code).toBe('disk_full');
    expect(ended[0]!.message).toMatch(KEPT);
    // 1 MiB at 384 KB/s: full after about 2.7 s, not before the first second nor much later.
    expect(ended[0]!.atMs).toBeGreaterThan(1500);
    expect(ended[0]!.atMs).toBeLessThan(6000);
  });

  it('every track keeps a valid WAV, all cut at the same point, and nothing inside is lost', () => {
    for (const name of ['engine', 'recordTake', 'cli'] as const) {
      const { copy } = result(name);
      const [one, two] = [1, 2].map((n) => readTrack(join(copy, `track-${n}.wav`)));
      expect(one!.frames, name).toBeGreaterThan(RATE);
      expect(two!.frames, name).toBeGreaterThan(RATE);
      expect(Math.abs(one!.frames - two!.frames), name).toBeLessThanOrEqual(
        WRITE_QUEUE_SLACK_FRAMES,
      );
      // Both started on the same frame of the (identical) sources, and run on without a gap.
      expect(two!.first, name).toBe(one!.first);
      expect([one!.jumps, two!.jumps], name).toEqual([0, 0]);
    }
  });

  it('the engine’s stop() then resolves, and take.json says stopped with the error on every track', () => {
    const { run, manifest, ended, copy } = result('engine');
    expect(run).toMatchObject({ outcome: 'resolved' });
    expect(run.ms).toBeLessThan(5000);
    expect(manifest?.status).toBe('stopped');
    expect(manifest?.tracks.map((t) => t.error)).toEqual([ended[0]?.message, ended[0]?.message]);
    // The frames it reports are the files' own.
    expect(manifest?.tracks.map((t) => t.frames)).toEqual(
      [1, 2].map((n) => (statSync(join(copy, `track-${n}.wav`)).size - WAV_HEADER_BYTES) / 4),
    );
  });

  it('recoverTake on the full disk afterwards changes nothing', () => {
    for (const name of ['engine', 'recordTake', 'cli'] as const) {
      const { recover, changedByRecover } = result(name);
      expect(recover, name).toMatchObject({
        outcome: 'resolved',
        statusBefore: 'stopped',
        status: 'stopped',
      });
      expect(changedByRecover, name).toEqual([]);
    }
  });

  it('recordTake with a 20 s duration ends early with the error in take.json', () => {
    const { run, afterStartMs, manifest } = result('recordTake');
    expect(run).toMatchObject({ outcome: 'resolved' });
    expect(afterStartMs).toBeLessThan(10_000);
    expect(manifest?.status).toBe('stopped');
    for (const track of manifest?.tracks ?? []) {
      expect(track.error).toMatch(KEPT);
      expect(track.frames).toBeGreaterThan(RATE);
    }
  });

  it('the CLI (studio record --duration 20) ends early, prints each track’s error and exits 1', () => {
    const { run, cli, manifest } = result('cli');
    expect(run).toMatchObject({ outcome: 'resolved' });
    expect(run.ms).toBeLessThan(15_000);
    expect(cli?.code).toBe(1);
    expect(cli?.stdout.match(/FAILED: .*disk holding .* is full/g) ?? []).toHaveLength(2);
    expect(manifest?.status).toBe('stopped');
    for (const track of manifest?.tracks ?? []) expect(track.error).toMatch(KEPT);
  });
});
