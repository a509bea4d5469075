// PauseMap on its own: which frames are kept and where they land, the fades at the cuts, and that
// the result does not depend on how the audio arrives (chunks of any size, in any order).
import { describe, expect, it } from 'vitest';
import { CUT_FADE_FRAMES, PauseMap } from '../../../src/main/services/processing/pause-map';
import { random } from '../../helpers/speech';

/** Runs `input` through the map in blocks of the given sizes (cycled); returns the output. */
async function apply(
  map: PauseMap,
  input: Float32Array,
  channels: number,
  sizes: number[],
  order: 'forward' | 'backward' = 'forward',
): Promise<Float32Array> {
  const output = new Float32Array(map.outputFrames * channels).fill(Number.NaN);
  const frames = input.length / channels;
  const blocks: Array<[number, number]> = [];
  for (let at = 0, k = 0; at < frames; k++) {
    const size = Math.min(sizes[k % sizes.length]!, frames - at);
    blocks.push([at, size]);
    at += size;
  }
  if (order === 'backward') blocks.reverse();
  for (const [at, size] of blocks) {
    // A scratch copy, as the renderer hands over: the map fades in place.
    const scratch = input.slice(at * channels, (at + size) * channels);
    await map.forEachKept(at, scratch, size, channels, async (outputFrame, kept) => {
      expect(outputFrame * channels + kept.length).toBeLessThanOrEqual(output.length);
      output.set(kept, outputFrame * channels);
    });
  }
  return output;
}

/** A noisy ramp: every frame distinct, channel 1 the negative of channel 0. */
function material(frames: number, channels: number): Float32Array {
  const next = random(42);
  const x = new Float32Array(frames * channels);
  for (let f = 0; f < frames; f++) {
    const v = 0.3 + 0.5 * next();
    for (let c = 0; c < channels; c++) x[f * channels + c] = c ? -v : v;
  }
  return x;
}

describe('mapping', () => {
  it('keeps everything outside the cuts, in order, and counts what went', () => {
    const map = new PauseMap(100_000, [
      [10_000, 30_000],
      [50_000, 60_000],
    ]);
    expect(map.segments).toEqual([
      { start: 0, end: 10_000, outputStart: 0 },
      { start: 30_000, end: 50_000, outputStart: 10_000 },
      { start: 60_000, end: 100_000, outputStart: 30_000 },
    ]);
    expect(map.outputFrames).toBe(70_000);
    expect(map.removedFrames).toBe(30_000);
  });

  it('handles cuts at the very start and end, and no cuts', () => {
    const edges = new PauseMap(1000, [
      [0, 100],
      [900, 1000],
    ]);
    expect(edges.segments).toEqual([{ start: 100, end: 900, outputStart: 0 }]);
    expect(edges.outputFrames).toBe(800);
    const none = new PauseMap(1000);
    expect(none.segments).toEqual([{ start: 0, end: 1000, outputStart: 0 }]);
    expect(none.removedFrames).toBe(0);
  });

  it('fromQuiet keeps half the maximum at each end of a long pause and leaves short ones', () => {
    const max = 48_000;
    const map = PauseMap.fromQuiet(
      1_000_000,
      [
        [100_000, 148_000], // exactly the maximum: kept whole
        [200_000, 392_000], // 4 s: 3 s go, from 0.5 s in to 0.5 s before the end
        [900_000, 1_200_000], // runs past the end: clipped to the input first
      ],
      max,
    );
    expect(map.cuts).toEqual([
      [224_000, 368_000],
      [924_000, 976_000],
    ]);
    expect(map.removedFrames).toBe(144_000 + 52_000);
  });

  it('an odd maximum keeps exactly the maximum', () => {
    const map = PauseMap.fromQuiet(10_000, [[1000, 5000]], 1001);
    const [[start, end]] = map.cuts as [[number, number]];
    expect(start - 1000 + (5000 - end)).toBe(1001);
  });
});

describe('fades at the cuts', () => {
  const frames = 20_000;
  const map = new PauseMap(frames, [[8_000, 12_000]]);

  it('fade out before a cut and in after it, over CUT_FADE_FRAMES, nothing else touched', async () => {
    const input = new Float32Array(frames).fill(1);
    const output = await apply(map, input, 1, [frames]);
    expect(output.length).toBe(16_000);
    expect(CUT_FADE_FRAMES).toBe(240); // 5 ms at 48 kHz
    // Untouched from the start (no fade at the file's own start) to the fade before the cut.
    for (let f = 0; f < 8_000 - CUT_FADE_FRAMES; f++) expect(output[f]).toBe(1);
    // Down to 1/241 on the last kept frame, up from 1/241 on the first one after the cut.
    for (let k = 1; k <= CUT_FADE_FRAMES; k++) {
      expect(output[8_000 - k]).toBeCloseTo(k / (CUT_FADE_FRAMES + 1), 6);
      expect(output[8_000 + k - 1]).toBeCloseTo(k / (CUT_FADE_FRAMES + 1), 6);
    }
    // Untouched after the fade in, up to the file's own end (no fade there).
    for (let f = 8_000 + CUT_FADE_FRAMES; f < 16_000; f++) expect(output[f]).toBe(1);
  });

  it('fades both channels of stereo alike', async () => {
    const input = material(frames, 2);
    const output = await apply(map, input, 2, [1234]);
    for (let f = 0; f < map.outputFrames; f++) expect(output[f * 2 + 1]).toBe(-output[f * 2]!);
  });

  it('a cut through a low tone does not click; joined without the fades it would', async () => {
    // 75 Hz at full scale: its own steps are at most 2π·75/48000 ≈ 0.0098; the cut takes 6¼
    // periods, so the two sides meet a quarter period apart.
    const tone = Float32Array.from({ length: frames }, (_, i) =>
      Math.sin((2 * Math.PI * 75 * i) / 48_000),
    );
    const own = (2 * Math.PI * 75) / 48_000;
    const output = await apply(map, tone, 1, [frames]);
    let worst = 0;
    for (let f = 7_500; f < 8_500; f++)
      worst = Math.max(worst, Math.abs(output[f]! - output[f - 1]!));
    expect(worst).toBeLessThan(1.2 * own);
    expect(Math.abs(tone[12_000]! - tone[7_999]!)).toBeGreaterThan(20 * own);
  });
});

describe('independent of how the audio arrives', () => {
  const frames = 50_000;
  const map = PauseMap.fromQuiet(
    frames,
    [
      [5_000, 15_000],
      [15_500, 16_000],
      [30_000, 45_000],
    ],
    2_000,
  );

  for (const channels of [1, 2]) {
    it(`${channels} channel(s): one block, odd blocks, single frames and backwards give the same`, async () => {
      const input = material(frames, channels);
      const whole = await apply(map, input, channels, [frames]);
      expect(whole.some(Number.isNaN)).toBe(false);
      expect(await apply(map, input, channels, [1, 7, 239, 240, 241, 1000, 4093])).toEqual(whole);
      // Frame by frame across the first cut's fades (the rest in big blocks).
      expect(await apply(map, input, channels, [5_500, ...Array(600).fill(1), 44_000])).toEqual(
        whole,
      );
      expect(await apply(map, input, channels, [3_333], 'backward')).toEqual(whole);
    });
  }

  it('every kept input frame lands once, at its mapped position', async () => {
    const input = Float32Array.from({ length: frames }, (_, i) => i + 1);
    const output = await apply(map, input, 1, [777]);
    for (const segment of map.segments)
      for (let f = segment.start + CUT_FADE_FRAMES; f < segment.end - CUT_FADE_FRAMES; f++)
        expect(output[segment.outputStart + f - segment.start]).toBe(f + 1);
  });
});
