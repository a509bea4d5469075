import {
  checkedTrack,
  findClip,
  findTrackIndex,
  refuse,
  requireSamples,
  sortClips,
  withTracks,
} from './access';
import type { Edit, EditTrack } from './model';

/** Operations that change where clips sit: move (also to another track) and nudge. */

/** Moves a clip to a new start, on its own track or on `trackId`; refused where it would not fit. */
export function move(
  edit: Edit,
  args: { clipId: string; timelineStart: number; trackId?: string },
): Edit {
  const timelineStart = requireSamples(args.timelineStart, 'The clip start');
  const from = findClip(edit, args.clipId);
  const toIndex = args.trackId === undefined ? from.trackIndex : findTrackIndex(edit, args.trackId);
  if (toIndex === from.trackIndex && timelineStart === from.clip.timelineStart) return edit;
  const moved = { ...from.clip, timelineStart };
  const changed = new Map<number, EditTrack>();
  const rest = from.track.clips.filter((clip) => clip !== from.clip);
  if (toIndex === from.trackIndex) {
    changed.set(toIndex, checkedTrack({ ...from.track, clips: sortClips([...rest, moved]) }));
  } else {
    const to = edit.tracks[toIndex]!;
    changed.set(from.trackIndex, { ...from.track, clips: rest });
    changed.set(toIndex, checkedTrack({ ...to, clips: sortClips([...to.clips, moved]) }));
  }
  return withTracks(edit, changed);
}

/** Moves the clips together by `deltaSamples` (negative is earlier), each on its own track. */
export function nudge(
  edit: Edit,
  args: { clipIds: readonly string[]; deltaSamples: number },
): Edit {
  const delta = args.deltaSamples;
  if (!Number.isSafeInteger(delta)) refuse('The nudge must be a whole number of samples.');
  const ids = new Set(args.clipIds);
  for (const id of ids) findClip(edit, id);
  if (delta === 0 || ids.size === 0) return edit;
  const changed = new Map<number, EditTrack>();
  edit.tracks.forEach((track, index) => {
    if (!track.clips.some((clip) => ids.has(clip.id))) return;
    const clips = track.clips.map((clip) => {
      if (!ids.has(clip.id)) return clip;
      const timelineStart = clip.timelineStart + delta;
      if (timelineStart < 0) refuse('That would move a clip before the start of the episode.');
      return { ...clip, timelineStart };
    });
    changed.set(index, checkedTrack({ ...track, clips: sortClips(clips) }));
  });
  return withTracks(edit, changed);
}
