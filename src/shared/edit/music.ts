import { findTrackIndex, refuse, requireRange, withTrack } from './access';
import {
  type Edit,
  type EditTrack,
  MAX_DUCKING_DB,
  MIN_DUCKING_DB,
  type TrackRole,
  trackRoles,
} from './model';

/**
 * Music beds: a track's role (speech or music) and a music track's ducking under speech
 * (docs/EDIT.md, "Music beds and ducking"; the envelope itself is in ducking.ts).
 */

/**
 * Makes the track a speech or a music track. Back to speech drops its ducking (only music ducks)
 * and the `role` field itself (absent means speech), so an untouched edit stays as it was stored.
 */
export function setTrackRole(edit: Edit, args: { trackId: string; role: TrackRole }): Edit {
  if (!(trackRoles as readonly string[]).includes(args.role)) {
    refuse('A track is either a speech track or a music track.');
  }
  const index = findTrackIndex(edit, args.trackId);
  const track = edit.tracks[index]!;
  if ((track.role ?? 'speech') === args.role) return edit;
  if (args.role === 'music') return withTrack(edit, index, { ...track, role: 'music' });
  const { role: _role, ducking: _ducking, ...rest } = track;
  return withTrack(edit, index, rest satisfies EditTrack);
}

/**
 * Ducks a music track by `depthDb` (MIN_DUCKING_DB … MAX_DUCKING_DB, DEFAULT_DUCKING_DB to start
 * with) under the speech of the other tracks, or stops ducking it with `null`.
 */
export function setTrackDucking(
  edit: Edit,
  args: { trackId: string; depthDb: number | null },
): Edit {
  const index = findTrackIndex(edit, args.trackId);
  const track = edit.tracks[index]!;
  if (args.depthDb === null) {
    if (!track.ducking) return edit;
    const { ducking: _ducking, ...rest } = track;
    return withTrack(edit, index, rest satisfies EditTrack);
  }
  if (track.role !== 'music') {
    refuse(`Only music tracks duck under speech: make “${track.name}” a music track first.`, {
      trackId: track.id,
    });
  }
  const depthDb = requireRange(args.depthDb, MIN_DUCKING_DB, MAX_DUCKING_DB, 'Ducking depth (dB)');
  if (track.ducking?.depthDb === depthDb) return edit;
  return withTrack(edit, index, { ...track, ducking: { depthDb } });
}
