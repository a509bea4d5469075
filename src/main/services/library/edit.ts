import { randomUUID } from 'node:crypto';
import type { Marker } from '../../../shared/domain';
import {
  type Clip,
  type Edit,
  type EditMarker,
  type EditTrack,
  editLength,
  emptyEdit,
} from '../../../shared/edit';
import { editProblems, validateEdit } from '../../../shared/edit/validate';
import { StudioError } from '../../../shared/errors';
import { type Db, now } from './database';
import { getEpisode } from './episodes';
import { listMarkers } from './markers';
import { inTransaction } from './transaction';

/**
 * An episode's timeline edit (docs/EDIT.md), stored as JSON on the episode. Until first saved it
 * is derived from the library: one whole-asset clip per track, and the episode's markers. On every
 * read a stored edit is reconciled with the library, so tracks added or trashed since show up or
 * go without the editor having to save first.
 */

export interface EpisodeEdit {
  edit: Edit;
  /** Set when the stored edit could not be read and an earlier one was used: say so to the user. */
  restored: string | null;
}

interface EditColumns {
  edit_json: string | null;
  edit_previous_json: string | null;
  edit_saved_at: string | null;
}

interface TrackSource {
  id: string;
  name: string;
  asset_id: string | null;
  duration_samples: number | null;
  deleted_at: string | null;
}

/** Every track row of the episode (trashed ones too, so reconcile can tell "trashed" from "made in the editor"). */
function trackRows(db: Db, episodeId: string): TrackSource[] {
  return db
    .prepare(
      `SELECT t.id, t.name, t.asset_id, a.duration_samples, t.deleted_at
       FROM tracks t LEFT JOIN assets a ON a.id = t.asset_id
       WHERE t.episode_id = ? ORDER BY t.position, t.created_at`,
    )
    .all(episodeId) as TrackSource[];
}

/**
 * The assets of the episode a clip may play: imports and recordings. Processed versions and
 * mixdowns are left out: the app replaces (deletes) them when the track is processed or the
 * episode mixed down again, which would leave the clips playing nothing.
 */
function clipSourceIds(db: Db, episodeId: string): Set<string> {
  const ids = db
    .prepare("SELECT id FROM assets WHERE episode_id = ? AND kind IN ('import', 'recording')")
    .pluck()
    .all(episodeId);
  return new Set(ids as string[]);
}

/** A library track as an edit track: its asset whole from the timeline's start. */
function derivedTrack(row: TrackSource, usedClipIds: Set<string>): EditTrack {
  const clips: Clip[] = [];
  if (row.asset_id !== null && row.duration_samples !== null && row.duration_samples > 0) {
    // The track id doubles as its first clip's id, so deriving twice gives the same edit.
    const id = usedClipIds.has(row.id) ? randomUUID() : row.id;
    usedClipIds.add(id);
    clips.push({
      id,
      assetId: row.asset_id,
      sourceIn: 0,
      sourceOut: row.duration_samples,
      timelineStart: 0,
      gainDb: 0,
      fadeIn: 0,
      fadeOut: 0,
    });
  }
  return {
    id: row.id,
    name: row.name.slice(0, 200),
    gainDb: 0,
    pan: 0,
    muted: false,
    solo: false,
    clips,
  };
}

function toEditMarker(marker: Marker): EditMarker {
  return {
    id: marker.id,
    position: marker.positionSamples,
    title: marker.title.slice(0, 500),
    kind: marker.kind,
  };
}

/** The edit an episode has before anyone edits it. */
export function deriveEdit(db: Db, episodeId: string): Edit {
  const used = new Set<string>();
  return {
    ...emptyEdit(),
    tracks: trackRows(db, episodeId)
      .filter((row) => row.deleted_at === null)
      .map((row) => derivedTrack(row, used)),
    markers: listMarkers(db, episodeId).map(toEditMarker),
  };
}

/**
 * Brings a stored edit up to date with the library: live tracks it lacks are appended with their
 * whole asset, trashed tracks go, names follow renames, clips on audio that is no longer a clip
 * source go, and markers added to the library after the save join. Tracks that were never library
 * tracks (made in the editor) stay while their assets exist.
 */
function reconcile(db: Db, episodeId: string, stored: Edit, savedAt: string | null): Edit {
  const rows = trackRows(db, episodeId);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const assets = clipSourceIds(db, episodeId);
  const kept = stored.tracks.flatMap((track): EditTrack[] => {
    const row = byId.get(track.id);
    if (row) {
      if (row.deleted_at !== null) return [];
      const name = row.name.slice(0, 200);
      // A clip on audio that is no longer a clip source (gone, or not an import or recording)
      // could only play nothing, and saving would refuse it: it goes.
      const clips = track.clips.filter((clip) => assets.has(clip.assetId));
      if (clips.length < track.clips.length) {
        console.warn(
          `Episode ${episodeId}: ${track.clips.length - clips.length} clip(s) on “${name}” play audio the episode no longer has; left out.`,
        );
      }
      return name === track.name && clips.length === track.clips.length
        ? [track]
        : [{ ...track, name, clips }];
    }
    return track.clips.every((clip) => assets.has(clip.assetId)) ? [track] : [];
  });
  const present = new Set(kept.map((track) => track.id));
  const used = new Set(kept.flatMap((track) => track.clips.map((clip) => clip.id)));
  const added = rows
    .filter((row) => row.deleted_at === null && !present.has(row.id))
    .map((row) => derivedTrack(row, used));

  const markerIds = new Set(stored.markers.map((marker) => marker.id));
  const newMarkers = listMarkers(db, episodeId)
    .filter(
      (marker) => !markerIds.has(marker.id) && savedAt !== null && marker.createdAt >= savedAt,
    )
    .map(toEditMarker);
  const markers =
    newMarkers.length === 0
      ? stored.markers
      : [...stored.markers, ...newMarkers].sort((a, b) => a.position - b.position);

  const unchanged =
    added.length === 0 &&
    newMarkers.length === 0 &&
    kept.length === stored.tracks.length &&
    kept.every((track, i) => track === stored.tracks[i]);
  return unchanged ? stored : { ...stored, tracks: [...kept, ...added], markers };
}

/** The stored JSON as an edit, or the reasons it is not one. */
function readStored(json: string): { edit: Edit } | { problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    return { problems: [`not JSON (${(error as Error).message})`] };
  }
  const problems = editProblems(value);
  return problems.length === 0 ? { edit: validateEdit(value) } : { problems };
}

/** The episode's edit, reconciled with its tracks and markers; see EpisodeEdit.restored. */
export function getEpisodeEdit(db: Db, episodeId: string): EpisodeEdit {
  getEpisode(db, episodeId);
  const columns = db
    .prepare('SELECT edit_json, edit_previous_json, edit_saved_at FROM episodes WHERE id = ?')
    .get(episodeId) as EditColumns;
  if (columns.edit_json === null) return { edit: deriveEdit(db, episodeId), restored: null };

  const current = readStored(columns.edit_json);
  if ('edit' in current) {
    return { edit: reconcile(db, episodeId, current.edit, columns.edit_saved_at), restored: null };
  }

  // Only saveEpisodeEdit writes the column, validated; damage came from outside (disk, a tool).
  const previous =
    columns.edit_previous_json === null ? null : readStored(columns.edit_previous_json);
  const fallback = previous && 'edit' in previous ? previous.edit : null;
  const restored = fallback
    ? 'The saved edit of this episode was damaged, so its previous version was restored; the most recent changes may be missing.'
    : 'The saved edit of this episode was damaged and no earlier version could be read, so it was rebuilt from the episode’s tracks; cuts and moves are lost.';
  console.warn(
    `Episode ${episodeId}: the stored edit is unreadable (${current.problems.slice(0, 3).join('; ')}). ${restored}`,
  );
  const edit = fallback
    ? reconcile(db, episodeId, fallback, columns.edit_saved_at)
    : deriveEdit(db, episodeId);
  // Written back so the damage is reported once, not on every open; the previous version stays.
  try {
    inTransaction(db, 'Restoring the edit', () => {
      db.prepare('UPDATE episodes SET edit_json = ?, edit_length_samples = ? WHERE id = ?').run(
        JSON.stringify(edit),
        editLength(edit),
        episodeId,
      );
    });
  } catch (error) {
    console.warn(`Episode ${episodeId}: could not store the restored edit: ${String(error)}`);
  }
  return { edit, restored };
}

/**
 * Measures the stored edit again after the library changed its tracks (one added, trashed or
 * restored), so lists show the length the editor will open with; reads reconcile the edit, but
 * the stored length is only written on save. Callers run it inside their transaction.
 */
export function refreshEditLength(db: Db, episodeId: string): void {
  const columns = db
    .prepare('SELECT edit_json, edit_saved_at FROM episodes WHERE id = ?')
    .get(episodeId) as Pick<EditColumns, 'edit_json' | 'edit_saved_at'> | undefined;
  if (!columns || columns.edit_json === null) return;
  const stored = readStored(columns.edit_json);
  // A damaged edit is restored (and measured) when it is next opened.
  if (!('edit' in stored)) return;
  const edit = reconcile(db, episodeId, stored.edit, columns.edit_saved_at);
  db.prepare('UPDATE episodes SET edit_length_samples = ? WHERE id = ?').run(
    editLength(edit),
    episodeId,
  );
}

/**
 * Takes tracks deleted for good out of the episode's saved edit (its clips moved to other tracks
 * stay where they are); the version before stays as it was. Callers run it inside their
 * transaction, after deleting the rows.
 */
export function forgetTracks(db: Db, episodeId: string, trackIds: readonly string[]): void {
  const row = db.prepare('SELECT edit_json FROM episodes WHERE id = ?').get(episodeId) as
    | Pick<EditColumns, 'edit_json'>
    | undefined;
  if (!row || row.edit_json === null) return;
  const stored = readStored(row.edit_json);
  if (!('edit' in stored)) return;
  const gone = new Set(trackIds);
  const tracks = stored.edit.tracks.filter((track) => !gone.has(track.id));
  if (tracks.length === stored.edit.tracks.length) return;
  db.prepare('UPDATE episodes SET edit_json = ? WHERE id = ?').run(
    JSON.stringify({ ...stored.edit, tracks }),
    episodeId,
  );
  refreshEditLength(db, episodeId);
}

/**
 * Stores the episode's edit, keeping the one it replaces as the previous version. Every clip must
 * play an asset of this episode: an edit is never allowed to reach into another episode's media.
 */
export function saveEpisodeEdit(db: Db, episodeId: string, value: unknown): Edit {
  getEpisode(db, episodeId);
  const edit = validateEdit(value);
  const assets = clipSourceIds(db, episodeId);
  for (const track of edit.tracks) {
    for (const clip of track.clips) {
      if (!assets.has(clip.assetId)) {
        throw new StudioError(
          'invalid_input',
          `Clip ${clip.id} on track “${track.name}” plays audio that is not one of this episode’s imports or recordings (asset ${clip.assetId}).`,
          { clipId: clip.id, assetId: clip.assetId },
        );
      }
    }
  }
  inTransaction(db, 'Saving the edit', () => {
    const { edit_json: old } = db
      .prepare('SELECT edit_json FROM episodes WHERE id = ?')
      .get(episodeId) as Pick<EditColumns, 'edit_json'>;
    // A damaged current version is not worth keeping as the fallback; the older one stays.
    const keepPrevious = old !== null && 'edit' in readStored(old);
    const time = now();
    db.prepare(
      `UPDATE episodes SET edit_json = @json,
         edit_previous_json = CASE WHEN @keep THEN edit_json ELSE edit_previous_json END,
         edit_saved_at = @time, edit_length_samples = @length, updated_at = @time
       WHERE id = @id`,
    ).run({
      json: JSON.stringify(edit),
      keep: keepPrevious ? 1 : 0,
      time,
      length: editLength(edit),
      id: episodeId,
    });
  });
  return edit;
}
