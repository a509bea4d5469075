import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StudioError } from '../../../shared/errors';
import { fileSystemError, makeDirectorySync } from '../files/atomic';
import { sqliteToErrno } from '../library/database';

const LOCK_NAME = 'studio.lock';
const OWNER_NAME = 'studio.lock.pid';
/** Directories this process holds (SQLite's lock does not stop a second connection of ours). */
const heldHere = new Set<string>();

/**
 * One process at a time owns a data directory: starting the services marks unfinished jobs as
 * interrupted and sweeps half-written files, which would break another process's running import.
 *
 * The lock is an exclusive SQLite transaction on `studio.lock`, held for the life of the
 * services: the OS releases it when the process ends however it ends, so there is no stale lock
 * to judge and no race in taking one over. `studio.lock.pid` only names the owner in messages.
 */
export function lockDataDir(dataDir: string, nativeBinding?: string): () => void {
  const path = join(dataDir, LOCK_NAME);
  if (heldHere.has(path)) throw inUse(dataDir, process.pid);
  let lock: Database.Database;
  try {
    makeDirectorySync(dataDir);
    lock = new Database(path, { timeout: 0, ...(nativeBinding ? { nativeBinding } : {}) });
  } catch (error) {
    throw fileSystemError(sqliteToErrno(error), 'Opening the library', path);
  }
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS held (at TEXT)');
    lock.exec('BEGIN EXCLUSIVE');
    lock.prepare('INSERT INTO held VALUES (?)').run(new Date().toISOString());
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY'))
      throw inUse(dataDir, ownerPid(dataDir));
    throw fileSystemError(sqliteToErrno(error), 'Opening the library', path);
  }
  heldHere.add(path);
  try {
    writeFileSync(join(dataDir, OWNER_NAME), String(process.pid));
  } catch {
    // Only used to name the owner in a message.
  }
  return () => {
    if (!heldHere.delete(path)) return;
    rmSync(join(dataDir, OWNER_NAME), { force: true });
    lock.exec('ROLLBACK');
    lock.close();
  };
}

function ownerPid(dataDir: string): number | null {
  try {
    const pid = Number.parseInt(readFileSync(join(dataDir, OWNER_NAME), 'utf8'), 10);
    return Number.isInteger(pid) ? pid : null;
  } catch {
    return null;
  }
}

function inUse(dataDir: string, pid: number | null): StudioError {
  const owner = pid === null ? 'another Podcast Studio process' : `Podcast Studio (pid ${pid})`;
  return new StudioError(
    'conflict',
    `The library in ${dataDir} is already open in ${owner}. Close it first, or use another data directory (--data-dir or STUDIO_DATA_DIR).`,
    { dataDir, pid },
  );
}
