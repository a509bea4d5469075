import { formatDuration, samplesToSeconds } from '../time';
import { clipEnd, clipLength } from './geometry';
import type { Clip, Edit, EditTrack } from './model';

/**
 * The rules an edit obeys, as plain functions: the schemas in model.ts run them on stored or
 * received edits, and the operations run them on the tracks they change. Each returns the first
 * problem as a sentence a user can act on, or null.
 */

/** "1:02.3": how a position reads in a message. */
export function timeLabel(samples: number): string {
  return formatDuration(samplesToSeconds(samples), true);
}

export function clipProblem(clip: Clip): string | null {
  if (clip.sourceOut <= clip.sourceIn) return 'A clip must be at least one sample long.';
  if (clip.fadeIn + clip.fadeOut > clipLength(clip)) {
    return `The clip at ${timeLabel(clip.timelineStart)} has fades longer than the clip itself.`;
  }
  return null;
}

/** Ducking belongs to music tracks: a speech track is what ducks the music, never ducked itself. */
export function trackSettingsProblem(
  track: Pick<EditTrack, 'name' | 'role' | 'ducking'>,
): string | null {
  if (track.ducking && track.role !== 'music') {
    return `“${track.name}” ducks under speech but is not a music track; only music tracks duck.`;
  }
  return null;
}

export interface TrackProblem {
  message: string;
  /** The later of the two clips that break the rule. */
  clipIndex: number;
}

/**
 * Clips are sorted by start, and neighbours may overlap only as a crossfade: the later clip starts
 * after and ends after the earlier one, and the overlap fits in both fades. Checking neighbours is
 * enough, because a clip's fade-in and fade-out cannot overlap each other, so no three clips ever
 * sound at once.
 */
export function trackProblem(track: EditTrack): TrackProblem | null {
  for (let i = 1; i < track.clips.length; i++) {
    const prev = track.clips[i - 1]!;
    const clip = track.clips[i]!;
    const at = timeLabel(clip.timelineStart);
    if (clip.timelineStart < prev.timelineStart) {
      return { clipIndex: i, message: `Clips on “${track.name}” are out of order at ${at}.` };
    }
    const overlap = clipEnd(prev) - clip.timelineStart;
    if (overlap <= 0) continue;
    const crossfade =
      clip.timelineStart > prev.timelineStart &&
      clipEnd(clip) > clipEnd(prev) &&
      overlap <= prev.fadeOut &&
      overlap <= clip.fadeIn;
    if (!crossfade) {
      return {
        clipIndex: i,
        message:
          `Clips on “${track.name}” would overlap at ${at} by more than their fades allow. ` +
          'Clips may overlap only as a crossfade: within the fade-out of the first and the ' +
          'fade-in of the second.',
      };
    }
  }
  return null;
}

/** Rules across tracks: ids are unique (operations find things by id), markers are in order. */
export function editProblem(edit: Edit): string | null {
  const ids = new Set<string>();
  const repeated = (id: string): boolean => {
    if (ids.has(id)) return true;
    ids.add(id);
    return false;
  };
  for (const track of edit.tracks) {
    if (repeated(track.id)) return `Two tracks share the id ${track.id}.`;
  }
  ids.clear();
  for (const track of edit.tracks) {
    for (const clip of track.clips) {
      if (repeated(clip.id)) return `Two clips share the id ${clip.id}.`;
    }
  }
  ids.clear();
  let last = 0;
  for (const marker of edit.markers) {
    if (repeated(marker.id)) return `Two markers share the id ${marker.id}.`;
    if (marker.position < last) return `Markers are out of order at ${timeLabel(last)}.`;
    last = marker.position;
  }
  return null;
}
