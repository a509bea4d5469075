import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DUCK_ATTACK_SAMPLES as A,
  DUCK_BRIDGE_SAMPLES,
  duckEnvelope,
  duckEnvelopes,
  duckGainAt,
  envelopeFromSpeech,
  DUCK_HOLD_SAMPLES as H,
  type Interval,
  DUCK_RELEASE_SAMPLES as R,
  sampleDuckEnvelope,
  speechActivity,
  speechAssetIds,
  timelineSpeech,
} from '../../../src/shared/edit';
import { clip, edit, track } from './builders';

/** A level whose pair i has peak `peaks[i]` (linear, symmetric). */
function level(peaks: number[], sampleRate = 48_000, samplesPerPair = 4096) {
  const data = new Int16Array(peaks.length * 2);
  peaks.forEach((p, i) => {
    data[2 * i] = -Math.round(p * 32767);
    data[2 * i + 1] = Math.round(p * 32767);
  });
  return { sampleRate, samplesPerPair, data };
}

describe('speechActivity', () => {
  it('finds the loud pairs at 48 kHz, joins short gaps and drops blips', () => {
    const loud = 0.1; // -20 dBFS
    const quiet = 0.01; // -40 dBFS
    const peaks = [
      quiet,
      loud, // 1: a blip of one pair (85 ms): dropped
      quiet,
      quiet,
      quiet,
      quiet,
      quiet,
      quiet,
      loud, // 8–10: speech
      loud,
      loud,
      quiet, // 11–12: a 171 ms gap, shorter than the hold: joined
      quiet,
      loud, // 13
      ...Array(10).fill(quiet), // 853 ms: a pause
      loud, // 24–25
      loud,
    ];
    expect(speechActivity(level(peaks))).toEqual([
      { start: 8 * 4096, end: 14 * 4096 },
      { start: 24 * 4096, end: 26 * 4096 },
    ]);
    // The threshold decides what counts: at -45 dBFS everything does.
    expect(speechActivity(level(peaks), { thresholdDb: -45 })).toEqual([
      { start: 0, end: 26 * 4096 },
    ]);
    expect(speechActivity(level(peaks), { minSpeechSamples: 1, mergeGapSamples: 0 })).toEqual([
      { start: 4096, end: 2 * 4096 },
      { start: 8 * 4096, end: 11 * 4096 },
      { start: 13 * 4096, end: 14 * 4096 },
      { start: 24 * 4096, end: 26 * 4096 },
    ]);
  });

  it('converts positions at the source rate to 48 kHz samples, rounding, and stops at the end', () => {
    const peaks = [0, 0, 0.5, 0.5, 0.5, 0];
    // 44.1 kHz: pair 2 starts at source sample 8192 = 8916.9 model samples.
    expect(speechActivity(level(peaks, 44_100))).toEqual([
      { start: Math.round((8192 * 48_000) / 44_100), end: Math.round((20480 * 48_000) / 44_100) },
    ]);
    // Loud to the last pair, which covers fewer frames.
    expect(speechActivity({ ...level([0, 0.5, 0.5]), frames: 3 * 4096 - 100 })).toEqual([
      { start: 4096, end: 3 * 4096 - 100 },
    ]);
    expect(speechActivity(level([]))).toEqual([]);
  });

  it('counts a negative peak as loud as a positive one', () => {
    const data = new Int16Array([-20000, 0, -20000, 0, 0, 0]);
    expect(speechActivity({ sampleRate: 48_000, samplesPerPair: 4096, data })).toEqual([
      { start: 0, end: 8192 },
    ]);
  });
});

const S = 48_000;
const depth = 10 ** (-20 / 20);
const voice = (clips: ReturnType<typeof clip>[], extra = {}) => track('voice', clips, extra);
const bed = (extra = {}) =>
  track('bed', [clip({ id: 'm', assetId: 'music', sourceOut: 60 * S })], {
    role: 'music',
    ducking: { depthDb: -20 },
    ...extra,
  });
const activity = (intervals: Interval[]) => new Map([['talk', intervals]]);

describe('duckEnvelope', () => {
  const oneClip = edit([
    voice([clip({ id: 'v', assetId: 'talk', sourceIn: S, sourceOut: 20 * S, timelineStart: 0 })]),
    bed(),
  ]);

  it('ramps down over the attack before speech, holds, and releases after the hold', () => {
    // Speech at source 3–5 s lands at 2–4 s (the clip starts at source 1 s).
    const points = duckEnvelope(oneClip, 'bed', activity([{ start: 3 * S, end: 5 * S }]));
    expect(points).toEqual([
      { sample: 2 * S - A, gain: 1 },
      { sample: 2 * S, gain: depth },
      { sample: 4 * S + H, gain: depth },
      { sample: 4 * S + H + R, gain: 1 },
    ]);
    expect(duckGainAt(points, 0)).toBe(1);
    expect(duckGainAt(points, 2 * S - A / 2)).toBeCloseTo((1 + depth) / 2, 12);
    expect(duckGainAt(points, 3 * S)).toBe(depth);
    expect(duckGainAt(points, 4 * S + H + R / 4)).toBeCloseTo(depth + (1 - depth) / 4, 12);
    expect(duckGainAt(points, 10 * S)).toBe(1);
    // The sampled form (what the render multiplies by) is the same curve.
    const sampled = sampleDuckEnvelope(points, S, 5 * S);
    for (let k = 0; k < sampled.length; k += 997) {
      expect(sampled[k]).toBeCloseTo(duckGainAt(points, S + k), 6);
    }
  });

  it('samples the same curve from any block start, block after block', () => {
    const speech = fc
      .array(fc.tuple(fc.integer({ min: 0, max: 400_000 }), fc.integer({ min: 1, max: 60_000 })), {
        maxLength: 12,
      })
      .map((pairs) => {
        // Sorted, disjoint intervals, as timelineSpeech gives them.
        const intervals: { start: number; end: number }[] = [];
        for (const [start, length] of [...pairs].sort((a, b) => a[0] - b[0])) {
          const last = intervals.at(-1);
          if (last && start <= last.end) last.end = Math.max(last.end, start + length);
          else intervals.push({ start, end: start + length });
        }
        return intervals;
      });
    fc.assert(
      fc.property(
        speech,
        fc.integer({ min: 0, max: 500_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        (intervals, from, block) => {
          const points = envelopeFromSpeech(intervals, -12);
          for (let start = from; start < from + 3 * block; start += block) {
            const sampled = sampleDuckEnvelope(points, start, block);
            for (let k = 0; k < block; k += 7) {
              expect(sampled[k]).toBeCloseTo(duckGainAt(points, start + k), 6);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is empty without ducking, on speech tracks, and without speech', () => {
    const a = activity([{ start: 3 * S, end: 5 * S }]);
    expect(duckEnvelope(oneClip, 'voice', a)).toEqual([]);
    const plain = edit([oneClip.tracks[0]!, bed({ ducking: undefined })]);
    expect(duckEnvelope(plain, 'bed', a)).toEqual([]);
    expect(duckEnvelopes(plain, a).size).toBe(0);
    expect(speechAssetIds(plain)).toEqual([]);
    expect(speechAssetIds(oneClip)).toEqual(['talk']);
    expect(duckEnvelope(oneClip, 'bed', new Map())).toEqual([]);
    expect(duckGainAt([], 123)).toBe(1);
    expect(Array.from(sampleDuckEnvelope([], 0, 3))).toEqual([1, 1, 1]);
  });

  it('keeps the music down across gaps up to the bridge, and lets it up after longer ones', () => {
    const close = activity([
      { start: 3 * S, end: 4 * S },
      { start: 4 * S + DUCK_BRIDGE_SAMPLES, end: 6 * S + DUCK_BRIDGE_SAMPLES },
    ]);
    const joined = duckEnvelope(oneClip, 'bed', close);
    expect(joined.map((p) => p.sample)).toEqual([
      2 * S - A,
      2 * S,
      5 * S + DUCK_BRIDGE_SAMPLES + H,
      5 * S + DUCK_BRIDGE_SAMPLES + H + R,
    ]);
    const apart = activity([
      { start: 3 * S, end: 4 * S },
      { start: 4 * S + DUCK_BRIDGE_SAMPLES + 1, end: 6 * S },
    ]);
    const two = duckEnvelope(oneClip, 'bed', apart);
    expect(two).toHaveLength(8);
    // Every point after the one before, the ramps apart: release ends before the next attack.
    for (let i = 1; i < two.length; i++) expect(two[i]!.sample).toBeGreaterThan(two[i - 1]!.sample);
    expect(duckGainAt(two, 3 * S + H + R)).toBe(1);
  });

  it('clips the speech to the clip and starts a ramp already under way at 0', () => {
    // Speech from source 0.5 s; the clip starts at source 1 s on timeline 0: speech from 0.
    const points = duckEnvelope(oneClip, 'bed', activity([{ start: S / 2, end: 1.5 * S }]));
    expect(points).toEqual([
      { sample: 0, gain: depth },
      { sample: S / 2 + H, gain: depth },
      { sample: S / 2 + H + R, gain: 1 },
    ]);
    // Speech starting 0.1 s in: the ramp started 0.15 s before 0.
    const early = edit([
      voice([clip({ id: 'v', assetId: 'talk', sourceIn: 0, sourceOut: S, timelineStart: 0 })]),
      bed(),
    ]);
    const p = duckEnvelope(early, 'bed', activity([{ start: 0.1 * S, end: 0.5 * S }]));
    expect(p[0]!.sample).toBe(0);
    expect(p[0]!.gain).toBeCloseTo(1 + ((depth - 1) * (A - 0.1 * S)) / A, 12);
    expect(p[1]).toEqual({ sample: 0.1 * S, gain: depth });
    // Speech outside the clip's range does not count.
    expect(duckEnvelope(early, 'bed', activity([{ start: 2 * S, end: 3 * S }]))).toEqual([]);
  });

  it('unions speech over clips and tracks; muted and non-soloed tracks and music do not duck', () => {
    const a = activity([{ start: 0, end: 60 * S }]);
    const c1 = clip({
      id: 'c1',
      assetId: 'talk',
      sourceIn: 0,
      sourceOut: S,
      timelineStart: 10 * S,
    });
    const c2 = clip({
      id: 'c2',
      assetId: 'talk',
      sourceIn: 0,
      sourceOut: S,
      timelineStart: 20 * S,
    });
    const both = edit([voice([c1]), track('guest', [c2]), bed()]);
    expect(timelineSpeech(both, a)).toEqual([
      { start: 10 * S, end: 11 * S },
      { start: 20 * S, end: 21 * S },
    ]);
    expect(duckEnvelope(both, 'bed', a)).toHaveLength(8);

    const muted = edit([voice([c1]), track('guest', [c2], { muted: true }), bed()]);
    expect(timelineSpeech(muted, a)).toEqual([{ start: 10 * S, end: 11 * S }]);
    const solo = edit([voice([c1]), track('guest', [c2], { solo: true }), bed({ solo: true })]);
    expect(timelineSpeech(solo, a)).toEqual([{ start: 20 * S, end: 21 * S }]);
    // Music alone soloed: no speech is heard, nothing ducks.
    expect(duckEnvelope(edit([voice([c1]), bed({ solo: true })]), 'bed', a)).toEqual([]);
    // Another music track on the same asset is not speech.
    const music2 = edit([track('other', [c1], { role: 'music' }), bed()]);
    expect(duckEnvelope(music2, 'bed', a)).toEqual([]);
    // Overlapping speech of two tracks is one stretch.
    const c3 = clip({
      id: 'c3',
      assetId: 'talk',
      sourceIn: 0,
      sourceOut: S,
      timelineStart: 10.5 * S,
    });
    expect(timelineSpeech(edit([voice([c1]), track('g', [c3]), bed()]), a)).toEqual([
      { start: 10 * S, end: 11.5 * S },
    ]);
  });

  it('keeps the breakpoints proportional to the speech stretches', () => {
    const many: Interval[] = [];
    for (let k = 0; k < 500; k++) many.push({ start: k * 4 * S, end: k * 4 * S + S });
    const long = edit([
      voice([clip({ id: 'v', assetId: 'talk', sourceIn: 0, sourceOut: 2000 * S })]),
      bed(),
    ]);
    const points = duckEnvelope(long, 'bed', activity(many));
    expect(points.length).toBeLessThanOrEqual(4 * 500);
    expect(duckGainAt(points, 400 * S + S / 2)).toBe(depth);
    expect(duckGainAt(points, 400 * S + 3.5 * S)).toBe(1);
  });
});
