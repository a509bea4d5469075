import { StudioError } from '../errors';
import { clipProblem, trackProblem } from './invariants';
import type { Clip, Edit, EditTrack } from './model';

/**
 * What the operations share: finding things by id, refusing with a message, and replacing one
 * track while every other track (and the markers) keep their object identity, so history stays
 * cheap and a renderer can skip what did not change.
 */

export function refuse(message: string, details?: Record<string, unknown>): never {
  throw new StudioError('invalid_input', message, details);
}

export interface ClipPlace {
  trackIndex: number;
  clipIndex: number;
  track: EditTrack;
  clip: Clip;
}

export function findClip(edit: Edit, clipId: string): ClipPlace {
  for (let trackIndex = 0; trackIndex < edit.tracks.length; trackIndex++) {
    const track = edit.tracks[trackIndex]!;
    const clipIndex = track.clips.findIndex((clip) => clip.id === clipId);
    if (clipIndex >= 0) return { trackIndex, clipIndex, track, clip: track.clips[clipIndex]! };
  }
  return refuse('That clip is no longer in the edit.', { clipId });
}

export function findTrackIndex(edit: Edit, trackId: string): number {
  const index = edit.tracks.findIndex((track) => track.id === trackId);
  return index >= 0 ? index : refuse('That track is no longer in the edit.', { trackId });
}

/** The edit with some tracks replaced by index; the others stay the same objects. */
export function withTracks(edit: Edit, changed: ReadonlyMap<number, EditTrack>): Edit {
  if (changed.size === 0) return edit;
  return { ...edit, tracks: edit.tracks.map((track, index) => changed.get(index) ?? track) };
}

export function withTrack(edit: Edit, index: number, track: EditTrack): Edit {
  return withTracks(edit, new Map([[index, track]]));
}

/** Sorts by start (stable, so clips an operation did not move keep their order). */
export function sortClips(clips: Clip[]): Clip[] {
  return clips.slice().sort((a, b) => a.timelineStart - b.timelineStart);
}

/** The track if every clip on it and their overlaps are legal; refuses with the first problem. */
export function checkedTrack(track: EditTrack): EditTrack {
  for (const clip of track.clips) {
    const problem = clipProblem(clip);
    if (problem) refuse(problem, { trackId: track.id, clipId: clip.id });
  }
  const problem = trackProblem(track);
  if (problem) {
    refuse(problem.message, { trackId: track.id, clipId: track.clips[problem.clipIndex]?.id });
  }
  return track;
}

/** An integer sample position or count; `what` names it in the message, e.g. "The position". */
export function requireSamples(value: number, what: string, min = 0): number {
  if (!Number.isSafeInteger(value)) refuse(`${what} must be a whole number of samples.`);
  if (value < min) {
    refuse(
      min === 0 ? `${what} can't be before the start.` : `${what} must be at least ${min} samples.`,
    );
  }
  return value;
}

export function requireRange(value: number, min: number, max: number, what: string): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    refuse(`${what} must be between ${min} and ${max}.`);
  }
  return value;
}
