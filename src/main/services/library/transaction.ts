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
