import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  panFilter,
  dbToGain as renderDbToGain,
} from '../../../src/main/services/render/filter-graph';
import {
  audibleTrackIds,
  dbToGain,
  envelopeAt,
  type PlannedSegment,
  planSegments,
  trackMix,
} from '../../../src/renderer/features/editor/playback/plan-segments';
import type { Clip } from '../../../src/shared/edit';
import { clip, edit, editArb, track } from '../../shared/edit/builders';

// The preview must sound like the render: the same clips, gains, fades and pan law, sample for
// sample (src/main/services/render/filter-graph.ts).

/** The gain the render gives the clip's sample at timeline position `t` (ffmpeg afade tri). */
function renderGain(c: Clip, t: number): number {
  const length = c.sourceOut - c.sourceIn;
  const k = t - c.timelineStart;
  let gain = renderDbToGain(c.gainDb);
  if (c.fadeIn > 0 && k < c.fadeIn) gain *= k / c.fadeIn;
  const outStart = length - c.fadeOut;
  if (c.fadeOut > 0 && k >= outStart) gain *= (c.fadeOut - (k - outStart)) / c.fadeOut;
  return gain;
}

/** Gain per timeline sample of one track's pieces, summed (crossfades overlap). */
function gainsBySample(segments: PlannedSegment[]): Map<number, number> {
  const sums = new Map<number, number>();
  for (const s of segments) {
    for (let t = s.timelineStart; t < s.timelineStart + s.frames; t++) {
      sums.set(t, (sums.get(t) ?? 0) + envelopeAt(s.envelope, t));
    }
  }
  return sums;
}

describe('cutting clips to the planning window', () => {
  const e = edit([
    track('t1', [clip({ id: 'c1', sourceIn: 1_000, sourceOut: 1_200, timelineStart: 100 })]),
  ]);

  it('fetches only the part of the clip inside the window, landing where it belongs', () => {
    expect(planSegments(e, 150, 250)).toEqual([
      {
        trackId: 't1',
        clipId: 'c1',
        assetId: 'a1',
        sourceFrom: 1_050,
        frames: 100,
        timelineStart: 150,
        envelope: [
          { sample: 150, gain: 1 },
          { sample: 250, gain: 1 },
        ],
      },
    ]);
  });

  it('takes the whole clip when the window covers it', () => {
    const [piece] = planSegments(e, 0, 10_000);
    expect(piece).toMatchObject({ sourceFrom: 1_000, frames: 200, timelineStart: 100 });
  });

  it('skips clips that only touch the window (ranges exclude their end)', () => {
    expect(planSegments(e, 0, 100)).toEqual([]);
    expect(planSegments(e, 300, 400)).toEqual([]);
    expect(planSegments(e, 299, 400)).toMatchObject([{ sourceFrom: 1_199, frames: 1 }]);
  });

  it('plans windows laid end to end exactly as one window over the same range', () => {
    fc.assert(
      fc.property(editArb(), fc.integer({ min: 1, max: 400 }), (generated, block) => {
        const whole = planSegments(generated, 0, 3_000);
        const pieces: PlannedSegment[] = [];
        for (let from = 0; from < 3_000; from += block) {
          pieces.push(...planSegments(generated, from, Math.min(3_000, from + block)));
        }
        for (const trackId of new Set(whole.map((s) => s.trackId))) {
          const a = gainsBySample(whole.filter((s) => s.trackId === trackId));
          const b = gainsBySample(pieces.filter((s) => s.trackId === trackId));
          expect([...b.keys()].sort((x, y) => x - y)).toEqual([...a.keys()].sort((x, y) => x - y));
          for (const [t, gain] of a) expect(b.get(t)).toBeCloseTo(gain, 12);
        }
        // Each piece reads the asset frames that land on its timeline samples.
        for (const piece of pieces) {
          const c = generated.tracks.flatMap((t) => t.clips).find((x) => x.id === piece.clipId)!;
          expect(piece.sourceFrom - c.sourceIn).toBe(piece.timelineStart - c.timelineStart);
        }
      }),
    );
  });
});

describe('gain envelopes', () => {
  it('gives every sample the render’s gain: clip gain times linear fades', () => {
    const c = clip({
      id: 'c1',
      sourceOut: 1_000,
      timelineStart: 500,
      gainDb: -6,
      fadeIn: 120,
      fadeOut: 300,
    });
    const [piece] = planSegments(edit([track('t1', [c])]), 0, 10_000);
    for (let t = 500; t < 1_500; t++) {
      expect(envelopeAt(piece!.envelope, t)).toBeCloseTo(renderGain(c, t), 12);
    }
    expect(envelopeAt(piece!.envelope, 500)).toBe(0);
    expect(envelopeAt(piece!.envelope, 501)).toBeCloseTo(dbToGain(-6) / 120, 12);
    expect(envelopeAt(piece!.envelope, 1_499)).toBeCloseTo(dbToGain(-6) / 300, 12);
  });

  it('matches the render at every sample of generated edits, whatever the window', () => {
    fc.assert(
      fc.property(
        editArb(),
        fc.integer({ min: 0, max: 1_500 }),
        fc.integer({ min: 1, max: 1_500 }),
        (generated, from, length) => {
          for (const piece of planSegments(generated, from, from + length)) {
            const c = generated.tracks.flatMap((t) => t.clips).find((x) => x.id === piece.clipId)!;
            for (let t = piece.timelineStart; t < piece.timelineStart + piece.frames; t++) {
              expect(envelopeAt(piece.envelope, t)).toBeCloseTo(renderGain(c, t), 9);
            }
          }
        },
      ),
    );
  });

  it('makes a crossfade sum to the clips’ gain at every sample of the overlap', () => {
    const a = clip({ id: 'a', sourceOut: 1_000, fadeOut: 200 });
    const b = clip({ id: 'b', assetId: 'a2', sourceOut: 1_000, timelineStart: 800, fadeIn: 200 });
    const pieces = planSegments(edit([track('t1', [a, b])]), 700, 1_100);
    expect(pieces.map((p) => [p.clipId, p.timelineStart, p.frames])).toEqual([
      ['a', 700, 300],
      ['b', 800, 300],
    ]);
    const sums = gainsBySample(pieces);
    for (let t = 700; t < 1_100; t++) expect(sums.get(t)).toBeCloseTo(1, 12);
  });

  it('cuts a fade at the window edges with the values the fade has there', () => {
    const c = clip({ id: 'c1', sourceOut: 1_000, fadeIn: 400 });
    const [piece] = planSegments(edit([track('t1', [c])]), 100, 300);
    expect(piece!.envelope).toEqual([
      { sample: 100, gain: 0.25 },
      { sample: 300, gain: 0.75 },
    ]);
  });
});

describe('which tracks play', () => {
  const three = (fields: [object, object, object]) =>
    edit(fields.map((f, i) => track(`t${i}`, [clip({ id: `c${i}`, assetId: `a${i}` })], f)));

  it('plays every unmuted track when none is soloed', () => {
    const e = three([{}, { muted: true }, {}]);
    expect([...audibleTrackIds(e)]).toEqual(['t0', 't2']);
    expect(planSegments(e, 0, 100).map((s) => s.trackId)).toEqual(['t0', 't2']);
  });

  it('plays only soloed tracks when any is soloed, and never a muted one', () => {
    const e = three([{ solo: true }, { solo: true, muted: true }, {}]);
    expect(planSegments(e, 0, 100).map((s) => s.trackId)).toEqual(['t0']);
  });

  it('plays nothing when the only soloed track is muted', () => {
    expect(planSegments(three([{ solo: true, muted: true }, {}, {}]), 0, 100)).toEqual([]);
  });
});

describe('track volume and pan', () => {
  /** The render's factors (clip gain 0 dB) read back from its ffmpeg pan filter. */
  function renderFactors(sourceChannels: 1 | 2, pan: number, gainDb: number): [number, number] {
    const filter = panFilter(sourceChannels, 2, pan, renderDbToGain(gainDb));
    const match = /c0=([-\d.e]+)\*c\d\|c1=([-\d.e]+)\*c\d/.exec(filter);
    if (!match) throw new Error(`Unexpected filter ${filter}`);
    return [Number(match[1]), Number(match[2])];
  }

  it.each([-1, -0.5, -0.25, 0, 0.3, 0.75, 1])('equals the render’s factors at pan %d', (pan) => {
    for (const gainDb of [0, -12, 6]) {
      const mix = trackMix({ pan, gainDb });
      const [monoL, monoR] = renderFactors(1, pan, gainDb);
      const [stereoL, stereoR] = renderFactors(2, pan, gainDb);
      expect(mix.gain * mix.monoLeft).toBeCloseTo(monoL, 12);
      expect(mix.gain * mix.monoRight).toBeCloseTo(monoR, 12);
      expect(mix.gain * mix.stereoLeft).toBeCloseTo(stereoL, 12);
      expect(mix.gain * mix.stereoRight).toBeCloseTo(stereoR, 12);
    }
  });

  it('is −3 dB a side for mono and unchanged for stereo in the middle, silent on the far side', () => {
    expect(trackMix({ pan: 0, gainDb: 0 })).toEqual({
      gain: 1,
      monoLeft: expect.closeTo(Math.SQRT1_2, 12),
      monoRight: expect.closeTo(Math.SQRT1_2, 12),
      stereoLeft: expect.closeTo(1, 12),
      stereoRight: expect.closeTo(1, 12),
    });
    expect(trackMix({ pan: -1, gainDb: 0 })).toMatchObject({ monoRight: 0, stereoRight: 0 });
    expect(trackMix({ pan: 1, gainDb: 0 })).toMatchObject({ monoLeft: 0, stereoLeft: 0 });
  });
});
