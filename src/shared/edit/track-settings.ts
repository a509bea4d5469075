import { Id } from '../domain';
import { findTrackIndex, refuse, requireRange, withTrack } from './access';
import { type Edit, type EditTrack, MAX_GAIN_DB, MIN_GAIN_DB } from './model';

/** Track-level settings: mute, solo, volume, pan, and adding an empty track. */

function updateTrack(edit: Edit, trackId: string, patch: Partial<EditTrack>): Edit {
  const index = findTrackIndex(edit, trackId);
  const track = edit.tracks[index]!;
  const same = (Object.keys(patch) as (keyof EditTrack)[]).every(
    (key) => track[key] === patch[key],
  );
  return same ? edit : withTrack(edit, index, { ...track, ...patch });
}

export function setTrackMute(edit: Edit, args: { trackId: string; muted: boolean }): Edit {
  return updateTrack(edit, args.trackId, { muted: args.muted });
}

export function setTrackSolo(edit: Edit, args: { trackId: string; solo: boolean }): Edit {
  return updateTrack(edit, args.trackId, { solo: args.solo });
}

/** The track's volume, in dB. */
export function setTrackGain(edit: Edit, args: { trackId: string; gainDb: number }): Edit {
  const gainDb = requireRange(args.gainDb, MIN_GAIN_DB, MAX_GAIN_DB, 'Track volume (dB)');
  return updateTrack(edit, args.trackId, { gainDb });
}

/** -1 is full left, 0 centre, 1 full right. */
export function setTrackPan(edit: Edit, args: { trackId: string; pan: number }): Edit {
  const pan = requireRange(args.pan, -1, 1, 'Pan');
  return updateTrack(edit, args.trackId, { pan });
}

/** Appends an empty track at 0 dB, centred, neither muted nor solo. */
export function addTrack(edit: Edit, args: { id: string; name: string }): Edit {
  if (!Id.safeParse(args.id).success) refuse('A track id must be 1 to 64 characters.');
  if (args.name.length > 200) refuse('A track name can be at most 200 characters.');
  if (edit.tracks.some((track) => track.id === args.id)) {
    refuse('A track with that id is already in the edit.');
  }
  const track: EditTrack = {
    id: args.id,
    name: args.name,
    gainDb: 0,
    pan: 0,
    muted: false,
    solo: false,
    clips: [],
  };
  return { ...edit, tracks: [...edit.tracks, track] };
}
