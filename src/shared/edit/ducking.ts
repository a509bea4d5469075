import { MODEL_RATE } from '../time';
import type { Edit, EditTrack } from './model';

/**
 * Automatic ducking of music under speech, pure and shared by the render (ffmpeg) and the
 * playback engine (Web Audio) so both apply the very same gain. docs/EDIT.md ("Music beds and
 * ducking") defines it for other tools:
 *
 * 1. `speechActivity(level)`: where an asset has speech, from one stored peaks level (4096 source
 *    samples per pair): pairs whose peak reaches SPEECH_THRESHOLD_DB, runs of them joined across
 *    gaps shorter than the hold, runs shorter than SPEECH_MIN_SAMPLES dropped; in 48 kHz samples
 *    of the asset's source positions.
 * 2. `duckEnvelope(edit, trackId, activity)`: the music track's gain over the timeline, as
 *    breakpoints of a piecewise-linear curve.
 */

/** Samples [start, end) at 48 kHz. */
export interface Interval {
  start: number;
  end: number;
}

/** A breakpoint: linear gain `gain` at timeline sample `sample`; linear between breakpoints. */
export interface DuckPoint {
  sample: number;
  gain: number;
}

/** Ramp down over this before speech starts, so the music is fully down as the voice begins. */
export const DUCK_ATTACK_SAMPLES = Math.round(0.25 * MODEL_RATE);
/** Stay down this long after speech ends (bridges the pauses between sentences). */
export const DUCK_HOLD_SAMPLES = Math.round(0.4 * MODEL_RATE);
/** Then come back up over this. */
export const DUCK_RELEASE_SAMPLES = Math.round(0.8 * MODEL_RATE);
/**
 * Speech closer than this to the previous speech keeps the music down: the release and the next
 * attack would otherwise overlap (gap ≤ hold + release + attack, 1.45 s).
 */
export const DUCK_BRIDGE_SAMPLES = DUCK_HOLD_SAMPLES + DUCK_RELEASE_SAMPLES + DUCK_ATTACK_SAMPLES;

/** The stored peaks level speech activity is measured on (samples per pair, source samples). */
export const SPEECH_LEVEL_SPP = 4096;
/** A pair whose peak reaches this (dBFS) counts as speech. */
export const SPEECH_THRESHOLD_DB = -35;
/** Runs of speech shorter than this (after joining) are blips: ignored. */
export const SPEECH_MIN_SAMPLES = Math.round(0.1 * MODEL_RATE);

export interface SpeechActivityOptions {
  /** Default SPEECH_THRESHOLD_DB. */
  thresholdDb?: number;
  /** Runs shorter than this (48 kHz samples) are dropped; default SPEECH_MIN_SAMPLES. */
  minSpeechSamples?: number;
  /** Gaps shorter than this (48 kHz samples) are joined; default DUCK_HOLD_SAMPLES. */
  mergeGapSamples?: number;
}

/** The part of a peaks level speechActivity reads (a PeaksLevel from src/shared/peaks.ts fits). */
export interface ActivityLevel {
  sampleRate: number;
  samplesPerPair: number;
  /** Interleaved min,max pairs in -32768..32767. */
  data: Int16Array;
  /** Source frames covered, when known: the last interval ends there at most. */
  frames?: number;
}

/**
 * Where the asset has speech: sorted, disjoint intervals [start, end) in 48 kHz samples of its
 * source positions (what clips' sourceIn/sourceOut count), from one peaks level. Pair i covers
 * source samples [i·spp, (i+1)·spp) at the level's rate, converted to 48 kHz with rounding.
 */
export function speechActivity(
  level: ActivityLevel,
  options: SpeechActivityOptions = {},
): Interval[] {
  const thresholdDb = options.thresholdDb ?? SPEECH_THRESHOLD_DB;
  const minSpeech = options.minSpeechSamples ?? SPEECH_MIN_SAMPLES;
  const mergeGap = options.mergeGapSamples ?? DUCK_HOLD_SAMPLES;
  const threshold = Math.ceil(10 ** (thresholdDb / 20) * 32768);
  const { data, samplesPerPair: spp, sampleRate } = level;
  const pairs = data.length >> 1;
  const lastFrame = level.frames ?? Number.POSITIVE_INFINITY;
  const toModel = (sourceFrame: number) =>
    Math.round((Math.min(sourceFrame, lastFrame) * MODEL_RATE) / sampleRate);

  const runs: Interval[] = [];
  let runStart = -1;
  for (let i = 0; i <= pairs; i++) {
    const loud = i < pairs && Math.max(-data[2 * i]!, data[2 * i + 1]!, data[2 * i]!) >= threshold;
    if (loud && runStart < 0) runStart = i;
    else if (!loud && runStart >= 0) {
      const start = toModel(runStart * spp);
      const end = toModel(i * spp);
      const last = runs.at(-1);
      if (last && start - last.end < mergeGap) last.end = end;
      else if (end > start) runs.push({ start, end });
      runStart = -1;
    }
  }
  return runs.filter((run) => run.end - run.start >= minSpeech);
}

/** The render's rule: with any solo only soloed tracks play; a muted track never does. */
function audible(edit: Edit): EditTrack[] {
  const anySolo = edit.tracks.some((t) => t.solo);
  return edit.tracks.filter((t) => !t.muted && (!anySolo || t.solo));
}

/** Audible tracks that are speech (role absent or 'speech'). */
export function speechTracks(edit: Edit): EditTrack[] {
  return audible(edit).filter((t) => (t.role ?? 'speech') === 'speech');
}

/** Music tracks with ducking on (audible or not). */
export function duckingTracks(edit: Edit): EditTrack[] {
  return edit.tracks.filter((t) => t.role === 'music' && t.ducking !== undefined);
}

/** The assets whose activity ducking needs: those on audible speech tracks, when any track ducks. */
export function speechAssetIds(edit: Edit): string[] {
  if (duckingTracks(edit).length === 0) return [];
  const ids = new Set<string>();
  for (const track of speechTracks(edit)) for (const clip of track.clips) ids.add(clip.assetId);
  return [...ids];
}

/**
 * Speech on the timeline: each audible speech clip's activity (its asset's intervals ∩ the clip's
 * source range, shifted to where the clip lands), unioned over all those clips. Sorted, disjoint,
 * touching intervals joined. Clip gain and fades do not matter; an asset without activity has none.
 */
export function timelineSpeech(
  edit: Edit,
  activity: ReadonlyMap<string, readonly Interval[]>,
): Interval[] {
  const raw: Interval[] = [];
  for (const track of speechTracks(edit)) {
    for (const clip of track.clips) {
      const intervals = activity.get(clip.assetId);
      if (!intervals || intervals.length === 0) continue;
      const shift = clip.timelineStart - clip.sourceIn;
      // First interval ending after sourceIn (intervals are sorted and disjoint).
      let lo = 0;
      let hi = intervals.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (intervals[mid]!.end <= clip.sourceIn) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < intervals.length && intervals[i]!.start < clip.sourceOut; i++) {
        const start = Math.max(intervals[i]!.start, clip.sourceIn);
        const end = Math.min(intervals[i]!.end, clip.sourceOut);
        if (end > start) raw.push({ start: start + shift, end: end + shift });
      }
    }
  }
  return joinIntervals(raw, 0);
}

/** Sorted, with intervals whose gap is at most `gap` joined (0: overlapping or touching). */
function joinIntervals(intervals: Interval[], gap: number): Interval[] {
  const sorted = intervals.slice().sort((a, b) => a.start - b.start);
  const joined: Interval[] = [];
  for (const interval of sorted) {
    const last = joined.at(-1);
    if (last && interval.start - last.end <= gap) last.end = Math.max(last.end, interval.end);
    else joined.push({ ...interval });
  }
  return joined;
}

/**
 * The gain of a ducking music track over the timeline, as breakpoints (piecewise linear, flat
 * before the first and after the last; evaluate with duckGainAt). Empty (gain 1 everywhere) when
 * the track is not a ducking music track or no speech is heard.
 *
 * Speech is timelineSpeech(edit, activity); stretches whose gap is at most DUCK_BRIDGE_SAMPLES
 * are joined, so ramps never overlap. For each joined stretch [s, e) and depth g = 10^(depthDb/20):
 * (s − attack, 1) → (s, g) → (e + hold, g) → (e + hold + release, 1). A first point before sample
 * 0 is replaced by the curve's value at 0. Four points per stretch at most.
 */
export function duckEnvelope(
  edit: Edit,
  trackId: string,
  activity: ReadonlyMap<string, readonly Interval[]>,
): DuckPoint[] {
  const track = edit.tracks.find((t) => t.id === trackId);
  if (track?.role !== 'music' || !track.ducking) return [];
  return envelopeFromSpeech(timelineSpeech(edit, activity), track.ducking.depthDb);
}

/** The breakpoints for speech stretches (see duckEnvelope). */
export function envelopeFromSpeech(speech: readonly Interval[], depthDb: number): DuckPoint[] {
  const depth = 10 ** (depthDb / 20);
  const points: DuckPoint[] = [];
  for (const { start, end } of joinIntervals([...speech], DUCK_BRIDGE_SAMPLES)) {
    const rampFrom = start - DUCK_ATTACK_SAMPLES;
    if (rampFrom >= 0) {
      points.push({ sample: rampFrom, gain: 1 }, { sample: start, gain: depth });
    } else {
      // Speech right at the start: the ramp is already under way at sample 0.
      if (start === 0) points.push({ sample: 0, gain: depth });
      else {
        const atZero = 1 + ((depth - 1) * -rampFrom) / DUCK_ATTACK_SAMPLES;
        points.push({ sample: 0, gain: atZero }, { sample: start, gain: depth });
      }
    }
    const upFrom = end + DUCK_HOLD_SAMPLES;
    points.push(
      { sample: upFrom, gain: depth },
      { sample: upFrom + DUCK_RELEASE_SAMPLES, gain: 1 },
    );
  }
  return points;
}

/** Every ducking music track's envelope, by track id; tracks whose envelope is empty are left out. */
export function duckEnvelopes(
  edit: Edit,
  activity: ReadonlyMap<string, readonly Interval[]>,
): Map<string, DuckPoint[]> {
  const result = new Map<string, DuckPoint[]>();
  const ducking = duckingTracks(edit);
  if (ducking.length === 0) return result;
  const speech = timelineSpeech(edit, activity);
  for (const track of ducking) {
    const points = envelopeFromSpeech(speech, track.ducking!.depthDb);
    if (points.length > 0) result.set(track.id, points);
  }
  return result;
}

/** The envelope's gain at a timeline sample: linear between points, flat outside; 1 when empty. */
export function duckGainAt(points: readonly DuckPoint[], sample: number): number {
  if (points.length === 0) return 1;
  // The last point at or before the sample (the same pair sampleDuckEnvelope interpolates).
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.sample <= sample) lo = mid + 1;
    else hi = mid;
  }
  const a = points[lo - 1];
  const b = points[lo];
  if (!a) return points[0]!.gain;
  if (!b) return a.gain;
  return a.gain + ((b.gain - a.gain) * (sample - a.sample)) / (b.sample - a.sample);
}

/**
 * The gains of samples [from, from + length), written into `out` at `offset` with `stride`
 * (interleaving several envelopes): the same numbers as duckGainAt, sample by sample.
 */
export function sampleDuckEnvelope(
  points: readonly DuckPoint[],
  from: number,
  length: number,
  out: Float32Array = new Float32Array(length),
  offset = 0,
  stride = 1,
): Float32Array {
  let k = 0;
  // The first point after `from` (binary search: a long render asks block after block).
  let lo = 0;
  let hi = points.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.sample <= from) lo = mid + 1;
    else hi = mid;
  }
  let i = lo;
  while (k < length) {
    const t = from + k;
    while (i < points.length && points[i]!.sample <= t) i++;
    // points[i - 1].sample <= t < points[i].sample
    const a = points[i - 1];
    const b = points[i];
    if (!a || !b) {
      // Flat before the first point or after the last, up to the next point or the end.
      const gain = points.length === 0 ? 1 : (a ?? b)!.gain;
      const until = b ? Math.min(length, b.sample - from) : length;
      for (; k < until; k++) out[offset + k * stride] = gain;
      continue;
    }
    const until = Math.min(length, b.sample - from);
    if (a.gain === b.gain) {
      for (; k < until; k++) out[offset + k * stride] = a.gain;
    } else {
      for (; k < until; k++) {
        out[offset + k * stride] =
          a.gain + ((b.gain - a.gain) * (from + k - a.sample)) / (b.sample - a.sample);
      }
    }
  }
  return out;
}
