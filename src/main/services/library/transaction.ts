import { StudioError } from '../../../shared/errors';
import { fileSystemError } from '../files/atomic';
import { type Db, sqliteToErrno } from './database';

/** Runs `work` in one transaction; a full or read-only disk becomes a StudioError. */
export function inTransaction<T>(db: Db, what: string, work: () => T): T {
  try {
    return db.transaction(work)();
  } catch (error) {
    if (error instanceof StudioError) throw error;
    const mapped = sqliteToErrno(error);
    if (mapped !== error) throw fileSystemError(mapped, what, db.name);
    throw error;
  }
}

export function notFound(what: string, id: string): StudioError {
  return new StudioError('not_found', `${what} ${id} does not exist (it may have been deleted).`, {
    id,
  });
}

/**
 * A new order must name every live item exactly once: a stale or partial list would leave two
 * items on the same position, and an id from elsewhere must not be moved in.
 */
export function checkNewOrder(what: string, ids: string[], live: string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) {
      throw new StudioError('invalid_input', `The new order lists ${what} ${id} twice.`, { id });
    }
    seen.add(id);
  }
  const known = new Set(live);
  for (const id of ids) {
    if (!known.has(id)) throw notFound(what[0]!.toUpperCase() + what.slice(1), id);
  }
  const missing = live.filter((id) => !seen.has(id));
  if (missing.length > 0) {
    throw new StudioError(
      'conflict',
      `The new order leaves out ${missing.length} ${what}${missing.length === 1 ? '' : 's'} (${missing.join(', ')}); the list may be out of date, refresh and try again.`,
      { missing },
    );
  }
}
