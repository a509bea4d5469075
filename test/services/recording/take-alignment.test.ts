// Lining a take's track up with the take's clock: the start offset and the device drift stored in
// take.json, applied by real ffmpeg to clicks whose positions are known.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  alignmentFilter,
  writeAlignedTrack,
} from '../../../src/main/services/recording/take-alignment';
import { parseWavLayout } from '../../../src/main/services/recording/wav-file';
import { generate, tempDir } from '../../helpers/audio';

const dir = tempDir('studio-align-');
const RATE = 48_000;

function channel0(path: string): Float32Array {
  const file = readFileSync(path);
  const layout = parseWavLayout(file.subarray(0, 4096))!;
  const data = file.subarray(layout.dataOffset);
  const out = new Float32Array(Math.floor(data.length / layout.frameBytes));
  for (let i = 0; i < out.length; i++) out[i] = data.readFloatLE(i * layout.frameBytes);
  return out;
}

/** Frames where a click (> 0.3) starts after at least 0.1 s of quiet. */
function clicks(samples: Float32Array): number[] {
  const found: number[] = [];
  let last = -RATE;
  for (let i = 0; i < samples.length; i++) {
    if (Math.abs(samples[i]!) < 0.3) continue;
    if (i - last >= RATE / 10) found.push(i);
    last = i;
  }
  return found;
}

/** A click every `every` frames from frame `first`, as float WAV. */
const clickTrack = (name: string, every: number, first: number, seconds: number) =>
  generate(
    join(dir, name),
    `aevalsrc=exprs='if(eq(mod(n-${first}\\,${every})\\,0)*gte(n\\,${first})\\,0.9\\,0)':s=${RATE}:d=${seconds}`,
    ['-c:a', 'pcm_f32le'],
  );

describe('alignmentFilter', () => {
  it('does nothing for a track on the take’s clock or with drift under one sample per second', () => {
    expect(alignmentFilter(undefined, RATE)).toBeNull();
    expect(alignmentFilter({ offsetFrames: 0, driftPpm: null }, RATE)).toBeNull();
    expect(alignmentFilter({ offsetFrames: 0, driftPpm: 20 }, RATE)).toBeNull();
    expect(alignmentFilter({ offsetFrames: 0, driftPpm: -20 }, RATE)).toBeNull();
  });

  it('pads a late start, trims an early one, and resamples a drifting clock', () => {
    expect(alignmentFilter({ offsetFrames: 60, driftPpm: 0 }, RATE)).toBe(
      'adelay=delays=60S:all=1',
    );
    expect(alignmentFilter({ offsetFrames: -60, driftPpm: 0 }, RATE)).toBe(
      'atrim=start_sample=60,asetpts=N/SR/TB',
    );
    expect(alignmentFilter({ offsetFrames: 0, driftPpm: 100 }, RATE)).toBe(
      'asetrate=480048000,aresample=480000000:resampler=soxr:precision=28,asetrate=48000',
    );
  });
});

describe('writeAlignedTrack', () => {
  it('a device 1000 ppm fast, 10 ms late: its clicks come out 48000 frames apart from frame 480', async () => {
    // The device's "second" is 48048 of its frames.
    const source = clickTrack('fast.wav', 48_048, 0, 10);
    const out = join(dir, 'fast-aligned.wav');
    expect(await writeAlignedTrack(source, out, { offsetFrames: 480, driftPpm: 1000 }, RATE)).toBe(
      true,
    );
    const found = clicks(channel0(out));
    expect(found.length).toBeGreaterThanOrEqual(9);
    expect(Math.abs(found[0]! - 480)).toBeLessThanOrEqual(1);
    for (let i = 1; i < found.length; i++)
      expect(Math.abs(found[i]! - found[i - 1]! - RATE)).toBeLessThanOrEqual(1);
    // 480,000 device frames are 479,520 real ones, plus the 480 in front.
    expect(Math.abs(channel0(out).length - (479_520 + 480))).toBeLessThanOrEqual(2);
  });

  it('a track that started 1000 frames early loses them; one already on the clock is left alone', async () => {
    const source = clickTrack('early.wav', RATE, 3000, 3);
    const out = join(dir, 'early-aligned.wav');
    await writeAlignedTrack(source, out, { offsetFrames: -1000, driftPpm: null }, RATE);
    expect(clicks(channel0(out))).toEqual([2000, 2000 + RATE, 2000 + 2 * RATE]);
    expect(
      await writeAlignedTrack(
        source,
        join(dir, 'untouched.wav'),
        { offsetFrames: 0, driftPpm: 3 },
        RATE,
      ),
    ).toBe(false);
  });
});
