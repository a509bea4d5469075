import { randomUUID } from 'node:crypto';
import type { Track } from '../../../shared/domain';
import { getAsset } from './assets';
import { type Db, now } from './database';
import { refreshEditLength } from './edit';
import { getEpisode } from './episodes';
import { getProcessedVersion } from './processing';
import { type TrackRow, toTrack } from './rows';
import { checkNewOrder, inTransaction, notFound } from './transaction';

export function listTracks(db: Db, episodeId: string): Track[] {
  const rows = db
    .prepare(
      'SELECT * FROM tracks WHERE episode_id = ? AND deleted_at IS NULL ORDER BY position, created_at',
    )
    .all(episodeId) as TrackRow[];
  return rows.map((row) =>
    toTrack(
      row,
      row.asset_id ? getAsset(db, row.asset_id) : null,
      getProcessedVersion(db, row.processed_asset_id),
    ),
  );
}

export function getTrackRow(db: Db, id: string): TrackRow {
  const row = db.prepare('SELECT * FROM tracks WHERE id = ? AND deleted_at IS NULL').get(id) as
    | TrackRow
    | undefined;
  if (!row) throw notFound('Track', id);
  return row;
}

/** Adds a track at the end of an episode; callers run it inside their transaction. */
export function insertTrack(
  db: Db,
  episodeId: string,
  name: string,
  assetId: string | null,
): string {
  const id = randomUUID();
  const { next } = db
    .prepare('SELECT COALESCE(MAX(position), -1) + 1 AS next FROM tracks WHERE episode_id = ?')
    .get(episodeId) as { next: number };
  db.prepare(
    'INSERT INTO tracks (id, episode_id, name, asset_id, position, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(id, episodeId, name, assetId, next, now());
  refreshEditLength(db, episodeId);
  return id;
}

export function renameTrack(db: Db, id: string, name: string): string {
  const row = getTrackRow(db, id);
  inTransaction(db, 'Renaming the track', () => {
    db.prepare('UPDATE tracks SET name = ? WHERE id = ?').run(name, id);
  });
  return row.episode_id;
}

export function reorderTracks(db: Db, episodeId: string, ids: string[]): void {
  getEpisode(db, episodeId);
  inTransaction(db, 'Reordering tracks', () => {
    const live = db
      .prepare('SELECT id FROM tracks WHERE episode_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(episodeId);
    checkNewOrder('track', ids, live as string[]);
    const update = db.prepare('UPDATE tracks SET position = ? WHERE id = ?');
    for (const [position, id] of ids.entries()) update.run(position, id);
  });
}
