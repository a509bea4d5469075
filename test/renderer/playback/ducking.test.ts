import { describe, expect, it } from 'vitest';
import {
  envelopeAt,
  planDucking,
} from '../../../src/renderer/features/editor/playback/plan-segments';
import {
  loadSpeechActivity,
  type ReadPeakTile,
} from '../../../src/renderer/features/editor/playback/speech-activity';
import {
  duckEnvelope,
  duckEnvelopes,
  type Interval,
  sampleDuckEnvelope,
  speechActivity,
} from '../../../src/shared/edit';
import { PEAK_TILE_MAX_PAIRS, type PeaksLevel } from '../../../src/shared/peaks';
import { clip, edit, track } from '../../shared/edit/builders';

// The preview ducks music exactly as the render does: the planner's per-window duck envelopes,
// read sample by sample, are the samples the render multiplies the music by (sampleDuckEnvelope,
// written to ffmpeg as the envelope stream).

const S = 48_000;
const activity = new Map<string, Interval[]>([
  [
    'talk',
    [
      { start: 1 * S, end: 3 * S },
      { start: 3.5 * S, end: 4 * S },
      { start: 9 * S + 123, end: 9 * S + 5_000 },
      { start: 14 * S, end: 30 * S },
    ],
  ],
]);
const voice = track('voice', [
  clip({ id: 'v1', assetId: 'talk', sourceIn: 0, sourceOut: 12 * S, timelineStart: 5_000 }),
  clip({ id: 'v2', assetId: 'talk', sourceIn: 14 * S, sourceOut: 16 * S, timelineStart: 17 * S }),
]);
const bed = track('bed', [clip({ id: 'm', assetId: 'music', sourceOut: 25 * S })], {
  role: 'music',
  ducking: { depthDb: -18 },
});
const bed2 = track('bed2', [clip({ id: 'm2', assetId: 'music', sourceOut: 25 * S })], {
  role: 'music',
  ducking: { depthDb: -6 },
});
const e = edit([voice, bed, bed2]);

describe('planning the duck gains', () => {
  it('gives, window after window, the very gains the render multiplies by', () => {
    const envelopes = duckEnvelopes(e, activity);
    expect([...envelopes.keys()]).toEqual(['bed', 'bed2']);
    const length = 22 * S;
    for (const trackId of ['bed', 'bed2']) {
      const points = duckEnvelope(e, trackId, activity);
      expect(envelopes.get(trackId)).toEqual(points);
      const render = sampleDuckEnvelope(points, 0, length);
      let worst = 0;
      // Windows of odd lengths, as the engine's blocks after a seek or an update.
      for (let from = 0; from < length; from += 31_111) {
        const to = Math.min(length, from + 31_111);
        const planned = planDucking(e, envelopes, from, to).find((d) => d.trackId === trackId)!;
        expect(planned.envelope[0]!.sample).toBe(from);
        expect(planned.envelope.at(-1)!.sample).toBe(to);
        for (let t = from; t < to; t++) {
          worst = Math.max(worst, Math.abs(envelopeAt(planned.envelope, t) - render[t]!));
        }
      }
      // Float32 (the render's stream) against double: nothing else differs.
      expect(worst).toBeLessThan(1e-7);
    }
  });

  it('is silent about tracks that do not play or do not duck', () => {
    const envelopes = duckEnvelopes(e, activity);
    const muted = edit([voice, { ...bed, muted: true }, bed2]);
    expect(planDucking(muted, envelopes, 0, S).map((d) => d.trackId)).toEqual(['bed2']);
    const solo = edit([voice, { ...bed, solo: true }, bed2]);
    // The soloed bed plays, but no speech is heard: its envelope is empty.
    expect(planDucking(solo, duckEnvelopes(solo, activity), 0, S)).toEqual([]);
    expect(planDucking(e, new Map(), 0, S)).toEqual([]);
    expect(planDucking(e, envelopes, 5, 5)).toEqual([
      { trackId: 'bed', envelope: [{ sample: 5, gain: 1 }] },
      { trackId: 'bed2', envelope: [{ sample: 5, gain: 1 }] },
    ]);
  });
});

describe('loadSpeechActivity', () => {
  /** A 44.1 kHz level of 20000 pairs (more than two tiles): loud in a few places. */
  const pairs = 20_000;
  const data = new Int16Array(pairs * 2);
  for (const [a, b] of [
    [100, 200],
    [8_190, 8_200],
    [16_000, 20_000],
  ]) {
    for (let i = a!; i < b!; i++) {
      data[2 * i] = -9000;
      data[2 * i + 1] = 9000;
    }
  }
  const whole: PeaksLevel = {
    sampleRate: 44_100,
    samplesPerPair: 4096,
    frames: pairs * 4096 - 10,
    data,
  };
  const asked: [string, number, number, number][] = [];
  const readTile: ReadPeakTile = async (assetId, spp, from, count) => {
    asked.push([assetId, spp, from, count]);
    if (assetId === 'offline') throw new Error('offline');
    const n = Math.max(0, Math.min(count, pairs - from));
    return {
      sampleRate: 44_100,
      samplesPerPair: spp,
      frames: n === 0 ? 0 : Math.min(n * spp, whole.frames - from * spp),
      data: data.slice(from * 2, (from + n) * 2),
    };
  };

  it('reads the 4096 level in tiles and measures it as the render does', async () => {
    const errors: string[] = [];
    const result = await loadSpeechActivity(['talk', 'offline', 'talk'], readTile, (id) =>
      errors.push(id),
    );
    expect(errors).toEqual(['offline']);
    expect([...result.keys()]).toEqual(['talk']);
    expect(result.get('talk')).toEqual(speechActivity(whole));
    expect(result.get('talk')!.at(-1)!.end).toBe(Math.round((whole.frames * S) / 44_100));
    expect(asked.filter((a) => a[0] === 'talk')).toEqual([
      ['talk', 4096, 0, PEAK_TILE_MAX_PAIRS],
      ['talk', 4096, PEAK_TILE_MAX_PAIRS, PEAK_TILE_MAX_PAIRS],
      ['talk', 4096, 2 * PEAK_TILE_MAX_PAIRS, PEAK_TILE_MAX_PAIRS],
    ]);
  });
});
