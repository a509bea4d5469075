import type { Clip, Edit } from '../../../shared/edit/model';
import { MODEL_RATE } from '../../../shared/time';
import { audibleTracks } from './filter-graph';

/** A stretch of the timeline rendered on its own: samples [start, end). */
export interface TimeChunk {
  start: number;
  end: number;
}

/** Shorter edits are rendered whole: a second ffmpeg would cost more than it saves. */
export const MIN_CHUNKED_SAMPLES = 40 * MODEL_RATE;
/** Chunks are at least this long (each costs an ffmpeg start and its inputs' opening). */
const MIN_CHUNK_SAMPLES = 20 * MODEL_RATE;
/** Audible clips a chunk aims at: its graph's cost grows with its filters × its frames. */
const CLIPS_PER_CHUNK = 64;
/** And at most this long: a finished chunk waits in memory until the ones before it are written. */
const MAX_CHUNK_SAMPLES = 120 * MODEL_RATE;

/**
 * Cuts the timeline into chunks that each render alone and join sample for sample. A boundary
 * never falls inside a fade of an audible clip (a fade cut in two could not be expressed by a
 * chunk's afade), so a clip cut by a boundary is only trimmed: its samples, gains and the fades
 * it keeps are the same as in one long render. `parallel` chunks at least are aimed for, so every
 * core has work, each no longer than MAX_CHUNK_SAMPLES.
 */
export function planTimeChunks(edit: Edit, lengthSamples: number, parallel: number): TimeChunk[] {
  if (lengthSamples < MIN_CHUNKED_SAMPLES) return [{ start: 0, end: lengthSamples }];
  const clips = audibleTracks(edit).reduce((n, t) => n + t.clips.length, 0);
  const target = Math.max(
    MIN_CHUNK_SAMPLES,
    Math.min(
      MAX_CHUNK_SAMPLES,
      Math.ceil(lengthSamples / (2 * Math.max(1, parallel))),
      Math.ceil((lengthSamples * CLIPS_PER_CHUNK) / Math.max(1, clips)),
    ),
  );
  const forbidden = fadeIntervals(edit);
  const chunks: TimeChunk[] = [];
  let start = 0;
  let f = 0;
  while (lengthSamples - start >= target + MIN_CHUNK_SAMPLES) {
    let boundary = start + target;
    // The merged fade intervals are open (lo, hi): a boundary at lo or hi is fine.
    while (f < forbidden.length && forbidden[f]!.hi <= boundary) f++;
    const inside = forbidden[f];
    if (inside && inside.lo < boundary) boundary = inside.hi;
    if (lengthSamples - boundary < MIN_CHUNK_SAMPLES) break;
    chunks.push({ start, end: boundary });
    start = boundary;
  }
  chunks.push({ start, end: lengthSamples });
  return chunks;
}

/** The open intervals (lo, hi) covered by any audible fade, sorted and merged. */
function fadeIntervals(edit: Edit): { lo: number; hi: number }[] {
  const raw: { lo: number; hi: number }[] = [];
  for (const track of audibleTracks(edit)) {
    for (const clip of track.clips) {
      const end = clip.timelineStart + clip.sourceOut - clip.sourceIn;
      if (clip.fadeIn > 0)
        raw.push({ lo: clip.timelineStart, hi: clip.timelineStart + clip.fadeIn });
      if (clip.fadeOut > 0) raw.push({ lo: end - clip.fadeOut, hi: end });
    }
  }
  raw.sort((a, b) => a.lo - b.lo);
  const merged: { lo: number; hi: number }[] = [];
  for (const interval of raw) {
    const last = merged.at(-1);
    // Overlapping open intervals, or touching ones, leave no allowed point between them except
    // the touching point itself; merge only true overlaps.
    if (last && interval.lo < last.hi) last.hi = Math.max(last.hi, interval.hi);
    else merged.push({ ...interval });
  }
  return merged;
}

/**
 * The part of the edit's audible tracks inside `chunk`, moved to start at 0: clips trimmed to the
 * chunk, tracks neither muted nor soloed (only audible ones are kept). Valid for chunks from
 * planTimeChunks, whose boundaries are never inside a fade.
 */
export function chunkEdit(edit: Edit, chunk: TimeChunk): Edit {
  const tracks = audibleTracks(edit).map((track) => {
    const clips: Clip[] = [];
    for (const clip of track.clips) {
      const start = clip.timelineStart;
      const end = start + clip.sourceOut - clip.sourceIn;
      if (end <= chunk.start || start >= chunk.end) continue;
      const from = Math.max(start, chunk.start);
      const to = Math.min(end, chunk.end);
      const sourceIn = clip.sourceIn + (from - start);
      clips.push({
        ...clip,
        sourceIn,
        sourceOut: sourceIn + (to - from),
        timelineStart: from - chunk.start,
        fadeIn: from === start ? clip.fadeIn : 0,
        fadeOut: to === end ? clip.fadeOut : 0,
      });
    }
    return { ...track, muted: false, solo: false, clips };
  });
  return { ...edit, tracks: tracks.filter((t) => t.clips.length > 0) };
}
