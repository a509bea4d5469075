import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Show, ShowFields } from '../../../shared/domain';
import { type Db, now } from './database';
import { type ShowRow, toShow } from './rows';
import { checkNewOrder, inTransaction, notFound } from './transaction';

const SELECT_SHOW = `
  SELECT s.*, (SELECT COUNT(*) FROM episodes e WHERE e.show_id = s.id AND e.deleted_at IS NULL) AS episode_count
  FROM shows s`;

export function listShows(db: Db): Show[] {
  const rows = db
    .prepare(`${SELECT_SHOW} WHERE s.deleted_at IS NULL ORDER BY s.position, s.created_at`)
    .all() as ShowRow[];
  return rows.map(toShow);
}

export function getShow(db: Db, id: string): Show {
  const row = db.prepare(`${SELECT_SHOW} WHERE s.id = ? AND s.deleted_at IS NULL`).get(id) as
    | ShowRow
    | undefined;
  if (!row) throw notFound('Show', id);
  return toShow(row);
}

export function createShow(db: Db, fields: z.output<typeof ShowFields>): Show {
  const id = randomUUID();
  const time = now();
  inTransaction(db, 'Creating the show', () => {
    const { next } = db
      .prepare('SELECT COALESCE(MAX(position), -1) + 1 AS next FROM shows')
      .get() as {
      next: number;
    };
    db.prepare(
      `INSERT INTO shows (id, title, author, description, language, category, explicit, position, created_at, updated_at)
       VALUES (@id, @title, @author, @description, @language, @category, @explicit, @position, @time, @time)`,
    ).run({ ...fields, explicit: fields.explicit ? 1 : 0, id, position: next, time });
  });
  return getShow(db, id);
}

export function updateShow(db: Db, id: string, patch: Partial<z.output<typeof ShowFields>>): Show {
  getShow(db, id);
  const columns: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    columns[key] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  }
  inTransaction(db, 'Saving the show', () => {
    const sets = Object.keys(columns).map((key) => `${key} = @${key}`);
    sets.push('updated_at = @updatedAt');
    db.prepare(`UPDATE shows SET ${sets.join(', ')} WHERE id = @id`).run({
      ...columns,
      updatedAt: now(),
      id,
    });
  });
  return getShow(db, id);
}

export function reorderShows(db: Db, ids: string[]): void {
  inTransaction(db, 'Reordering shows', () => {
    const live = db.prepare('SELECT id FROM shows WHERE deleted_at IS NULL').pluck().all();
    checkNewOrder('show', ids, live as string[]);
    const update = db.prepare('UPDATE shows SET position = ? WHERE id = ?');
    for (const [position, id] of ids.entries()) update.run(position, id);
  });
}
