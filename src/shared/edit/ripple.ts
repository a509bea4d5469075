import { StudioError } from '../errors';
import { checkedTrack, refuse, requireSamples, sortClips, withTracks } from './access';
import { clipEnd } from './geometry';
import { clipIds, freshId, type NewId, randomId } from './ids';
import { timeLabel } from './invariants';
import type { Clip, Edit, EditMarker, EditTrack } from './model';

/**
 * Removes the range [start, end) from every track and closes the gap: clips are cut at the range's
 * edges (no fade at a cut; a fade the cut falls inside ends there), what lies inside goes, and
 * everything after moves left by the range's length, markers included. Markers inside go too.
 * A clip that spans the whole range becomes two clips that meet at `start`; the second gets a new
 * id. Refused where an edge falls inside a crossfade, which would leave a piece inside the fade.
 */
export function rippleDelete(
  edit: Edit,
  args: { start: number; end: number; newId?: NewId },
): Edit {
  const start = requireSamples(args.start, 'The start of the range');
  const end = requireSamples(args.end, 'The end of the range');
  if (end <= start) refuse('Select a range to delete: its end must be after its start.');
  const length = end - start;
  const used = clipIds(edit);
  const changed = new Map<number, EditTrack>();
  edit.tracks.forEach((track, index) => {
    if (!track.clips.some((clip) => clipEnd(clip) > start)) return;
    const clips: Clip[] = [];
    for (const clip of track.clips) {
      clips.push(...rippled(clip, start, end, () => freshId(used, args.newId ?? randomId)));
    }
    changed.set(index, checkedOrCrossfade({ ...track, clips: sortClips(clips) }, start, end));
  });
  const markers = rippledMarkers(edit.markers, start, end, length);
  const result = withTracks(edit, changed);
  return markers === edit.markers ? result : { ...result, markers };
}

/** What becomes of one clip: itself, shifted, cut to one or two pieces, or nothing. */
function rippled(clip: Clip, start: number, end: number, newId: () => string): Clip[] {
  const clipStart = clip.timelineStart;
  const clipStop = clipEnd(clip);
  if (clipStop <= start) return [clip];
  if (clipStart >= end) return [{ ...clip, timelineStart: clipStart - (end - start) }];
  const pieces: Clip[] = [];
  if (clipStart < start) {
    const leftLength = start - clipStart;
    pieces.push({
      ...clip,
      sourceOut: clip.sourceIn + leftLength,
      fadeIn: Math.min(clip.fadeIn, leftLength),
      fadeOut: 0,
    });
  }
  if (clipStop > end) {
    pieces.push({
      ...clip,
      id: pieces.length > 0 ? newId() : clip.id,
      sourceIn: clip.sourceIn + (end - clipStart),
      timelineStart: start,
      fadeIn: 0,
      fadeOut: Math.min(clip.fadeOut, clipStop - end),
    });
  }
  return pieces;
}

function checkedOrCrossfade(track: EditTrack, start: number, end: number): EditTrack {
  try {
    return checkedTrack(track);
  } catch (error) {
    if (!(error instanceof StudioError)) throw error;
    return refuse(
      `The range ${timeLabel(start)} to ${timeLabel(end)} starts or ends inside a crossfade on ` +
        `“${track.name}”. Move its edges outside the crossfade.`,
      { trackId: track.id },
    );
  }
}

function rippledMarkers(
  markers: EditMarker[],
  start: number,
  end: number,
  length: number,
): EditMarker[] {
  if (!markers.some((marker) => marker.position >= start)) return markers;
  const kept: EditMarker[] = [];
  for (const marker of markers) {
    if (marker.position < start) kept.push(marker);
    else if (marker.position >= end) kept.push({ ...marker, position: marker.position - length });
  }
  return kept;
}
