import { randomUUID } from 'node:crypto';
import type { TrashItem } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import { type Db, now } from './database';
import { forgetTracks, refreshEditLength } from './edit';
import { getEpisode } from './episodes';
import { type TrashRow, toTrashItem } from './rows';
import { getShow } from './shows';
import { getTrackRow } from './tracks';
import { inTransaction, notFound } from './transaction';

const TABLES = { show: 'shows', episode: 'episodes', track: 'tracks' } as const;

/** Soft-deletes a show, episode or track and records it in the trash so it can be restored. */
export function moveToTrash(db: Db, entity: TrashItem['entity'], id: string): TrashItem {
  let title: string;
  let parentTitle: string | null;
  // A trashed track's episode, whose edit is measured again without it.
  let trackEpisodeId: string | null = null;
  if (entity === 'show') {
    title = getShow(db, id).title;
    parentTitle = null;
  } else if (entity === 'episode') {
    const episode = getEpisode(db, id);
    title = episode.title;
    parentTitle = getShow(db, episode.showId).title;
  } else {
    const track = getTrackRow(db, id);
    trackEpisodeId = track.episode_id;
    title = track.name;
    parentTitle = getEpisode(db, track.episode_id).title;
  }
  const row: TrashRow = {
    id: randomUUID(),
    entity,
    entity_id: id,
    title,
    parent_title: parentTitle,
    deleted_at: now(),
  };
  inTransaction(db, `Moving “${title}” to the trash`, () => {
    db.prepare(`UPDATE ${TABLES[entity]} SET deleted_at = ? WHERE id = ?`).run(row.deleted_at, id);
    if (trackEpisodeId !== null) refreshEditLength(db, trackEpisodeId);
    db.prepare(
      'INSERT INTO trash (id, entity, entity_id, title, parent_title, deleted_at) VALUES (@id, @entity, @entity_id, @title, @parent_title, @deleted_at)',
    ).run(row);
  });
  return toTrashItem(row);
}

export function listTrash(db: Db): TrashItem[] {
  const rows = db
    .prepare('SELECT * FROM trash ORDER BY deleted_at DESC, rowid DESC')
    .all() as TrashRow[];
  return rows.map(toTrashItem);
}

function getTrashRow(db: Db, id: string): TrashRow {
  const row = db.prepare('SELECT * FROM trash WHERE id = ?').get(id) as TrashRow | undefined;
  if (!row) throw notFound('Trash item', id);
  return row;
}

/**
 * Puts a trashed item back. An episode whose show is itself trashed cannot come back alone, nor a
 * track whose episode (or that episode's show) is trashed: it would be restored out of sight.
 */
export function restoreFromTrash(db: Db, id: string): TrashRow {
  const row = getTrashRow(db, id);
  let episodeId: string | null = null;
  if (row.entity === 'track') {
    episodeId = (
      db.prepare('SELECT episode_id FROM tracks WHERE id = ?').get(row.entity_id) as {
        episode_id: string;
      }
    ).episode_id;
    const episode = db
      .prepare('SELECT title, deleted_at FROM episodes WHERE id = ?')
      .get(episodeId) as { title: string; deleted_at: string | null };
    if (episode.deleted_at) {
      throw new StudioError(
        'conflict',
        `Restore the episode “${episode.title}” first: “${row.title}” belongs to it.`,
      );
    }
  }
  if (row.entity === 'episode') episodeId = row.entity_id;
  if (episodeId !== null) {
    const show = db
      .prepare(
        'SELECT s.title, s.deleted_at FROM shows s JOIN episodes e ON e.show_id = s.id WHERE e.id = ?',
      )
      .get(episodeId) as { title: string; deleted_at: string | null };
    if (show.deleted_at) {
      throw new StudioError(
        'conflict',
        `Restore the show “${show.title}” first: “${row.title}” belongs to it.`,
      );
    }
  }
  inTransaction(db, `Restoring “${row.title}”`, () => {
    db.prepare(`UPDATE ${TABLES[row.entity]} SET deleted_at = NULL WHERE id = ?`).run(
      row.entity_id,
    );
    db.prepare('DELETE FROM trash WHERE id = ?').run(id);
    if (row.entity === 'track' && episodeId !== null) refreshEditLength(db, episodeId);
  });
  return row;
}

/**
 * Deletes everything in the trash for good and returns the ids of the assets that went with it,
 * so the caller can remove their files once the transaction has committed.
 */
export function emptyTrash(db: Db): { removed: number; removedAssetIds: string[] } {
  return inTransaction(db, 'Emptying the trash', () => {
    const assetIds = () => new Set(db.prepare('SELECT id FROM assets').pluck().all() as string[]);
    const before = assetIds();
    const rows = db.prepare('SELECT * FROM trash').all() as TrashRow[];
    // Tracks deleted for good leave their episodes' saved edits too: once the row is gone, the
    // edit could no longer tell the track from one made in the editor, and it would come back.
    const tracksByEpisode = new Map<string, string[]>();
    for (const row of rows.filter((r) => r.entity === 'track')) {
      const track = db.prepare('SELECT episode_id FROM tracks WHERE id = ?').get(row.entity_id) as
        | { episode_id: string }
        | undefined;
      if (!track) continue;
      tracksByEpisode.set(track.episode_id, [
        ...(tracksByEpisode.get(track.episode_id) ?? []),
        row.entity_id,
      ]);
    }
    for (const row of rows) {
      db.prepare(`DELETE FROM ${TABLES[row.entity]} WHERE id = ?`).run(row.entity_id);
    }
    db.prepare('DELETE FROM trash').run();
    for (const [episodeId, trackIds] of tracksByEpisode) forgetTracks(db, episodeId, trackIds);
    // Assets of deleted episodes go by cascade; assets of deleted tracks (their audio and its
    // processed version) once nothing uses them: no track, no show's artwork, no clip of a saved
    // edit (a clip moved to another track outlives its own track); processed versions with their
    // source. An episode's mixdown (a render and its master) belongs to no track and stays.
    db.prepare(
      `DELETE FROM assets WHERE NOT EXISTS (
           SELECT 1 FROM tracks t WHERE t.asset_id = assets.id OR t.processed_asset_id = assets.id)
         AND NOT EXISTS (SELECT 1 FROM shows s WHERE s.artwork_asset_id = assets.id)
         AND assets.id NOT IN (
           SELECT json_extract(c.value, '$.assetId')
           FROM episodes e,
                json_each(CASE WHEN json_valid(e.edit_json) THEN e.edit_json END, '$.tracks') t,
                json_each(CASE WHEN t.type = 'object' THEN t.value END, '$.clips') c
           WHERE c.type = 'object' AND json_extract(c.value, '$.assetId') IS NOT NULL)
         AND kind <> 'render'
         AND NOT (kind = 'processed' AND EXISTS (
           SELECT 1 FROM assets r WHERE r.id = assets.source_asset_id AND r.kind = 'render'))`,
    ).run();
    const after = assetIds();
    return { removed: rows.length, removedAssetIds: [...before].filter((id) => !after.has(id)) };
  });
}
