import { type DuckPoint, duckGainAt } from '../../../../shared/edit/ducking';
import type { Clip, Edit, EditTrack } from '../../../../shared/edit/model';

/**
 * What to play of an edit, as plain data: the playback engine schedules it with Web Audio, and
 * the math is the render's (src/main/services/render/filter-graph.ts), so preview and export
 * sound the same. Positions are integer samples at 48 kHz, like the model.
 */

/** A point of a gain envelope: linear gain `gain` at timeline sample `sample`, linear between. */
export interface GainPoint {
  sample: number;
  gain: number;
}

/** One clip's audio inside a planning window: what to fetch, where it lands, how loud. */
export interface PlannedSegment {
  trackId: string;
  clipId: string;
  assetId: string;
  /** First asset frame to fetch (48 kHz). */
  sourceFrom: number;
  frames: number;
  /** Where `sourceFrom` lands on the timeline. */
  timelineStart: number;
  /**
   * Clip gain × fades over [timelineStart, timelineStart + frames], first point at the start,
   * last at the (exclusive) end; the gain of sample s is the linear interpolation at s.
   */
  envelope: GainPoint[];
}

/** A track's volume and pan as output factors, for a mono and for a stereo source. */
export interface TrackMix {
  /** The track's volume, linear. */
  gain: number;
  /** Mono source: left = source·monoLeft, right = source·monoRight. */
  monoLeft: number;
  monoRight: number;
  /** Stereo source: left = L·stereoLeft, right = R·stereoRight. */
  stereoLeft: number;
  stereoRight: number;
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

/** The render's rule: with any solo only soloed tracks play; a muted track never does. */
export function audibleTrackIds(edit: Edit): Set<string> {
  const anySolo = edit.tracks.some((t) => t.solo);
  return new Set(edit.tracks.filter((t) => !t.muted && (!anySolo || t.solo)).map((t) => t.id));
}

/**
 * Constant-power pan as the render does it, θ = (pan + 1)·π/4: a mono source goes out as
 * (cos θ, sin θ), −3 dB a side in the middle; a stereo source is balanced as
 * (L·√2·cos θ, R·√2·sin θ), unchanged in the middle.
 */
export function trackMix(track: Pick<EditTrack, 'gainDb' | 'pan'>): TrackMix {
  const theta = ((Math.min(1, Math.max(-1, track.pan)) + 1) * Math.PI) / 4;
  // cos(π/2) is 6e-17, not 0: a hard pan should silence the other side exactly.
  const clean = (x: number) => (Math.abs(x) < 1e-12 ? 0 : x);
  const left = clean(Math.cos(theta));
  const right = clean(Math.sin(theta));
  return {
    gain: dbToGain(track.gainDb),
    monoLeft: left,
    monoRight: right,
    stereoLeft: Math.SQRT2 * left,
    stereoRight: Math.SQRT2 * right,
  };
}

/**
 * The clip's gain envelope over its whole length: linear fades (ffmpeg afade curve=tri, k/n on
 * the k-th sample of a fade-in, (n−k)/n of a fade-out, so a crossfade sums to 1) times the clip
 * gain. The last point sits at the clip's exclusive end.
 */
export function clipEnvelope(clip: Clip): GainPoint[] {
  const gain = dbToGain(clip.gainDb);
  const start = clip.timelineStart;
  const end = start + clip.sourceOut - clip.sourceIn;
  const points: GainPoint[] = [
    { sample: start, gain: clip.fadeIn > 0 ? 0 : gain },
    { sample: start + clip.fadeIn, gain },
    { sample: end - clip.fadeOut, gain },
    { sample: end, gain: clip.fadeOut > 0 ? 0 : gain },
  ];
  return points.filter((p, i) => i === 0 || p.sample !== points[i - 1]!.sample);
}

/** The envelope's value at a timeline sample (linear between points, flat outside them). */
export function envelopeAt(envelope: readonly GainPoint[], sample: number): number {
  const first = envelope[0];
  if (!first || sample <= first.sample) return first?.gain ?? 0;
  for (let i = 1; i < envelope.length; i++) {
    const b = envelope[i]!;
    if (sample <= b.sample) {
      const a = envelope[i - 1]!;
      return a.gain + ((b.gain - a.gain) * (sample - a.sample)) / (b.sample - a.sample);
    }
  }
  return envelope.at(-1)!.gain;
}

/** The part of an envelope over [from, to]: its values at both ends and the points between. */
export function sliceEnvelope(
  envelope: readonly GainPoint[],
  from: number,
  to: number,
): GainPoint[] {
  const inner = envelope.filter((p) => p.sample > from && p.sample < to);
  const startPoint = { sample: from, gain: envelopeAt(envelope, from) };
  if (to === from) return [startPoint];
  return [startPoint, ...inner, { sample: to, gain: envelopeAt(envelope, to) }];
}

/**
 * The segments to schedule for the timeline window [fromSample, toSample): each audible clip
 * that overlaps it, cut to the window. Tracks in edit order, clips in timeline order.
 */
export function planSegments(edit: Edit, fromSample: number, toSample: number): PlannedSegment[] {
  const audible = audibleTrackIds(edit);
  const segments: PlannedSegment[] = [];
  for (const track of edit.tracks) {
    if (!audible.has(track.id)) continue;
    for (const clip of track.clips) {
      const clipStart = clip.timelineStart;
      const clipEnd = clipStart + clip.sourceOut - clip.sourceIn;
      const from = Math.max(fromSample, clipStart);
      const to = Math.min(toSample, clipEnd);
      if (to <= from) continue;
      segments.push({
        trackId: track.id,
        clipId: clip.id,
        assetId: clip.assetId,
        sourceFrom: clip.sourceIn + (from - clipStart),
        frames: to - from,
        timelineStart: from,
        envelope: sliceEnvelope(clipEnvelope(clip), from, to),
      });
    }
  }
  return segments;
}

/** Identifies a segment's sound: two segments with the same key play the same samples alike. */
export function segmentKey(segment: PlannedSegment): string {
  const envelope = segment.envelope.map((p) => `${p.sample}:${p.gain}`).join(',');
  return [
    segment.trackId,
    segment.clipId,
    segment.assetId,
    segment.sourceFrom,
    segment.frames,
    segment.timelineStart,
    envelope,
  ].join('|');
}

/** A ducking music track's gain over a planning window (breakpoints as GainPoint). */
export interface PlannedDuck {
  trackId: string;
  /**
   * The duck gain over [from, to]: its value at both ends and the breakpoints between, linear
   * between (duckEnvelope in src/shared/edit/ducking.ts; the render multiplies by the same curve).
   */
  envelope: GainPoint[];
}

/**
 * The duck envelopes (from duckEnvelopes(edit, activity)) of the audible tracks over the timeline
 * window [from, to], for the engine's per-track duck gain.
 */
export function planDucking(
  edit: Edit,
  envelopes: ReadonlyMap<string, readonly DuckPoint[]>,
  from: number,
  to: number,
): PlannedDuck[] {
  if (envelopes.size === 0) return [];
  const audible = audibleTrackIds(edit);
  const planned: PlannedDuck[] = [];
  for (const [trackId, points] of envelopes) {
    if (!audible.has(trackId)) continue;
    const inner = points.filter((p) => p.sample > from && p.sample < to);
    const envelope = [{ sample: from, gain: duckGainAt(points, from) }];
    if (to > from) envelope.push(...inner, { sample: to, gain: duckGainAt(points, to) });
    planned.push({ trackId, envelope });
  }
  return planned;
}
