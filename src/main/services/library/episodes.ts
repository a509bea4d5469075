import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Episode, EpisodeFields } from '../../../shared/domain';
import { type Db, now } from './database';
import { type EpisodeRow, toEpisode } from './rows';
import { getShow } from './shows';
import { checkNewOrder, inTransaction, notFound } from './transaction';

const SELECT_EPISODE = `
  SELECT e.*,
    (SELECT COUNT(*) FROM tracks t WHERE t.episode_id = e.id AND t.deleted_at IS NULL) AS track_count,
    COALESCE(e.edit_length_samples, (SELECT MAX(a.duration_samples) FROM tracks t
      JOIN assets a ON a.id = t.asset_id
      WHERE t.episode_id = e.id AND t.deleted_at IS NULL)) AS duration_samples
  FROM episodes e`;

export function listEpisodes(db: Db, showId: string): Episode[] {
  getShow(db, showId);
  const rows = db
    .prepare(
      `${SELECT_EPISODE} WHERE e.show_id = ? AND e.deleted_at IS NULL ORDER BY e.position, e.created_at`,
    )
    .all(showId) as EpisodeRow[];
  return rows.map(toEpisode);
}

/** A live episode of a live show. */
export function getEpisode(db: Db, id: string): Episode {
  const row = db
    .prepare(
      `${SELECT_EPISODE} JOIN shows s ON s.id = e.show_id
       WHERE e.id = ? AND e.deleted_at IS NULL AND s.deleted_at IS NULL`,
    )
    .get(id) as EpisodeRow | undefined;
  if (!row) throw notFound('Episode', id);
  return toEpisode(row);
}

export function createEpisode(
  db: Db,
  showId: string,
  fields: z.output<typeof EpisodeFields>,
): Episode {
  getShow(db, showId);
  const id = randomUUID();
  const time = now();
  inTransaction(db, 'Creating the episode', () => {
    const { next } = db
      .prepare('SELECT COALESCE(MAX(position), -1) + 1 AS next FROM episodes WHERE show_id = ?')
      .get(showId) as { next: number };
    db.prepare(
      `INSERT INTO episodes (id, show_id, title, number, season, type, status, notes, position, created_at, updated_at)
       VALUES (@id, @showId, @title, @number, @season, @type, @status, @notes, @position, @time, @time)`,
    ).run({ ...fields, id, showId, position: next, time });
  });
  return getEpisode(db, id);
}

export function updateEpisode(
  db: Db,
  id: string,
  patch: Partial<z.output<typeof EpisodeFields>>,
): Episode {
  getEpisode(db, id);
  const columns = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  inTransaction(db, 'Saving the episode', () => {
    const sets = Object.keys(columns).map((key) => `${key} = @${key}`);
    sets.push('updated_at = @updatedAt');
    db.prepare(`UPDATE episodes SET ${sets.join(', ')} WHERE id = @id`).run({
      ...columns,
      updatedAt: now(),
      id,
    });
  });
  return getEpisode(db, id);
}

export function reorderEpisodes(db: Db, showId: string, ids: string[]): void {
  getShow(db, showId);
  inTransaction(db, 'Reordering episodes', () => {
    const live = db
      .prepare('SELECT id FROM episodes WHERE show_id = ? AND deleted_at IS NULL')
      .pluck()
      .all(showId);
    checkNewOrder('episode', ids, live as string[]);
    const update = db.prepare('UPDATE episodes SET position = ? WHERE id = ?');
    for (const [position, id] of ids.entries()) update.run(position, id);
  });
}
