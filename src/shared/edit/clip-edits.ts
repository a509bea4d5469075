import {
  checkedTrack,
  findClip,
  findTrackIndex,
  refuse,
  requireRange,
  requireSamples,
  sortClips,
  withTrack,
  withTracks,
} from './access';
import { clipEnd, clipLength } from './geometry';
import { clipIds, freshId, type NewId, randomId } from './ids';
import { clipProblem, timeLabel } from './invariants';
import { Clip, type Edit, type EditTrack, MAX_GAIN_DB, MIN_GAIN_DB } from './model';

/** Operations on clips in place: split, trim, gain, fades, delete, add. */

const TOO_SHORT = 'That would make the clip shorter than one sample.';

/**
 * Splits every clip strictly under `position` on the chosen tracks. The left half keeps the id and
 * the fade-in, the right half gets a new id and keeps the fade-out; there is no fade at the cut
 * (a fade the cut falls inside ends at the cut). Refused inside a crossfade, where two clips sound.
 */
export function splitAt(
  edit: Edit,
  args: { trackIds: readonly string[] | 'all'; position: number; newId?: NewId },
): Edit {
  const position = requireSamples(args.position, 'The split position');
  const indexes =
    args.trackIds === 'all'
      ? edit.tracks.map((_, index) => index)
      : [...new Set(args.trackIds.map((id) => findTrackIndex(edit, id)))];
  const used = clipIds(edit);
  const changed = new Map<number, EditTrack>();
  for (const index of indexes) {
    const track = edit.tracks[index]!;
    const under = track.clips.findIndex(
      (clip) => clip.timelineStart < position && position < clipEnd(clip),
    );
    if (under < 0) continue;
    refuseInCrossfade(track, under, position);
    const clip = track.clips[under]!;
    const leftLength = position - clip.timelineStart;
    const left: Clip = {
      ...clip,
      sourceOut: clip.sourceIn + leftLength,
      fadeIn: Math.min(clip.fadeIn, leftLength),
      fadeOut: 0,
    };
    const right: Clip = {
      ...clip,
      id: freshId(used, args.newId ?? randomId),
      sourceIn: left.sourceOut,
      timelineStart: position,
      fadeIn: 0,
      fadeOut: Math.min(clip.fadeOut, clipEnd(clip) - position),
    };
    const clips = track.clips.slice();
    clips.splice(under, 1, left, right);
    changed.set(index, checkedTrack({ ...track, clips }));
  }
  return withTracks(edit, changed);
}

/** A cut from the start of a crossfade to its end (both included) would leave a half inside it. */
function refuseInCrossfade(track: EditTrack, index: number, position: number): void {
  const clip = track.clips[index]!;
  const prev = track.clips[index - 1];
  const next = track.clips[index + 1];
  const regions: [number, number][] = [];
  if (prev && clipEnd(prev) > clip.timelineStart) regions.push([clip.timelineStart, clipEnd(prev)]);
  if (next && clipEnd(clip) > next.timelineStart) regions.push([next.timelineStart, clipEnd(clip)]);
  for (const [from, to] of regions) {
    if (position >= from && position <= to) {
      refuse(
        `The playhead is in a crossfade on “${track.name}” (${timeLabel(from)} to ${timeLabel(to)}). ` +
          'Move it outside the crossfade to split there.',
      );
    }
  }
}

/**
 * Moves the clip's start edge to `newEdge` on the timeline; the audio under the rest of the clip
 * stays where it is. Fades shrink to fit, the fade-in first.
 */
export function trimStart(edit: Edit, args: { clipId: string; newEdge: number }): Edit {
  const newEdge = requireSamples(args.newEdge, 'The clip start');
  const { track, trackIndex, clip } = findClip(edit, args.clipId);
  const sourceIn = clip.sourceIn + newEdge - clip.timelineStart;
  if (sourceIn < 0) refuse('The recording starts there: the clip cannot start any earlier.');
  if (newEdge >= clipEnd(clip)) refuse(TOO_SHORT);
  const length = clip.sourceOut - sourceIn;
  const fadeIn = Math.min(clip.fadeIn, Math.max(0, length - clip.fadeOut));
  const fadeOut = Math.min(clip.fadeOut, length - fadeIn);
  const trimmed: Clip = { ...clip, sourceIn, timelineStart: newEdge, fadeIn, fadeOut };
  return replaceClip(edit, trackIndex, track, clip, trimmed);
}

/**
 * Moves the clip's end edge to `newEdge` on the timeline, up to the end of its recording
 * (`assetLength` gives an asset's length in samples). Fades shrink to fit, the fade-out first.
 */
export function trimEnd(
  edit: Edit,
  args: { clipId: string; newEdge: number; assetLength: (assetId: string) => number },
): Edit {
  const newEdge = requireSamples(args.newEdge, 'The clip end');
  const { track, trackIndex, clip } = findClip(edit, args.clipId);
  const sourceOut = clip.sourceOut + newEdge - clipEnd(clip);
  if (sourceOut > args.assetLength(clip.assetId)) {
    refuse('The recording ends there: the clip cannot be any longer.');
  }
  if (newEdge <= clip.timelineStart) refuse(TOO_SHORT);
  const length = sourceOut - clip.sourceIn;
  const fadeOut = Math.min(clip.fadeOut, Math.max(0, length - clip.fadeIn));
  const fadeIn = Math.min(clip.fadeIn, length - fadeOut);
  return replaceClip(edit, trackIndex, track, clip, { ...clip, sourceOut, fadeIn, fadeOut });
}

export function setClipGain(edit: Edit, args: { clipId: string; gainDb: number }): Edit {
  const gainDb = requireRange(args.gainDb, MIN_GAIN_DB, MAX_GAIN_DB, 'Clip gain (dB)');
  const { track, trackIndex, clip } = findClip(edit, args.clipId);
  if (clip.gainDb === gainDb) return edit;
  return replaceClip(edit, trackIndex, track, clip, { ...clip, gainDb });
}

export interface FadeBounds {
  fadeIn: { min: number; max: number };
  fadeOut: { min: number; max: number };
}

/**
 * How long each fade may be with the other left as it is: at least the crossfade with the
 * neighbour on that side, and both together no longer than the clip. For fade handles to clamp.
 */
export function fadeBounds(edit: Edit, clipId: string): FadeBounds {
  const { track, clipIndex, clip } = findClip(edit, clipId);
  const prev = track.clips[clipIndex - 1];
  const next = track.clips[clipIndex + 1];
  const length = clipLength(clip);
  return {
    fadeIn: {
      min: prev ? Math.max(0, clipEnd(prev) - clip.timelineStart) : 0,
      max: length - clip.fadeOut,
    },
    fadeOut: {
      min: next ? Math.max(0, clipEnd(clip) - next.timelineStart) : 0,
      max: length - clip.fadeIn,
    },
  };
}

/** Sets either fade or both (in samples); a fade left out stays as it is. */
export function setFades(
  edit: Edit,
  args: { clipId: string; fadeIn?: number; fadeOut?: number },
): Edit {
  const { track, trackIndex, clip } = findClip(edit, args.clipId);
  const fadeIn = requireSamples(args.fadeIn ?? clip.fadeIn, 'The fade-in');
  const fadeOut = requireSamples(args.fadeOut ?? clip.fadeOut, 'The fade-out');
  if (fadeIn + fadeOut > clipLength(clip)) {
    refuse('The fades together cannot be longer than the clip.');
  }
  const bounds = fadeBounds(edit, clip.id);
  if (fadeIn < bounds.fadeIn.min) {
    refuse('The fade-in cannot be shorter than the crossfade with the clip before it.');
  }
  if (fadeOut < bounds.fadeOut.min) {
    refuse('The fade-out cannot be shorter than the crossfade with the clip after it.');
  }
  if (fadeIn === clip.fadeIn && fadeOut === clip.fadeOut) return edit;
  return replaceClip(edit, trackIndex, track, clip, { ...clip, fadeIn, fadeOut });
}

/** Removes the clips and leaves their place empty; every id must still be in the edit. */
export function deleteClips(edit: Edit, args: { clipIds: readonly string[] }): Edit {
  const doomed = new Set(args.clipIds);
  for (const id of doomed) findClip(edit, id);
  const changed = new Map<number, EditTrack>();
  edit.tracks.forEach((track, index) => {
    const clips = track.clips.filter((clip) => !doomed.has(clip.id));
    if (clips.length !== track.clips.length) changed.set(index, { ...track, clips });
  });
  return withTracks(edit, changed);
}

/** Places a new clip on a track, where it must fit (overlapping only as a crossfade). */
export function addClip(edit: Edit, args: { trackId: string; clip: Clip }): Edit {
  const trackIndex = findTrackIndex(edit, args.trackId);
  const parsed = Clip.safeParse(args.clip);
  if (!parsed.success) refuse(`That clip is not valid: ${parsed.error.issues[0]?.message}`);
  const clip = parsed.data;
  if (clipIds(edit).has(clip.id)) refuse('A clip with that id is already in the edit.');
  const track = edit.tracks[trackIndex]!;
  const clips = sortClips([...track.clips, clip]);
  return withTrack(edit, trackIndex, checkedTrack({ ...track, clips }));
}

/** The edit with one clip swapped for its changed version, re-sorted if its start moved. */
function replaceClip(
  edit: Edit,
  trackIndex: number,
  track: EditTrack,
  before: Clip,
  after: Clip,
): Edit {
  const problem = clipProblem(after);
  if (problem) refuse(problem);
  const replaced = track.clips.map((clip) => (clip === before ? after : clip));
  const clips = after.timelineStart === before.timelineStart ? replaced : sortClips(replaced);
  return withTrack(edit, trackIndex, checkedTrack({ ...track, clips }));
}
