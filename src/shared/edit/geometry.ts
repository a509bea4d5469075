import type { Clip, Edit } from './model';

/** Samples the clip plays. */
export function clipLength(clip: Clip): number {
  return clip.sourceOut - clip.sourceIn;
}

/** The timeline position one past the clip's last sample. */
export function clipEnd(clip: Clip): number {
  return clip.timelineStart + clip.sourceOut - clip.sourceIn;
}

/** The end of the last clip on any track: the length of the mixdown. 0 for an empty edit. */
export function editLength(edit: Edit): number {
  let end = 0;
  for (const track of edit.tracks) {
    for (const clip of track.clips) end = Math.max(end, clipEnd(clip));
  }
  return end;
}
