import Database from 'better-sqlite3';
import { sqliteToErrno } from '../library/database';
import { fileSystemError } from './atomic';

/** Lock files this process holds (a second connection of ours must be refused too). */
const heldHere = new Set<string>();

export interface LockOptions {
  /** better-sqlite3's native build for this runtime (Electron's ABI in the app). */
  nativeBinding?: string;
  /** Only try a lock file that exists (a probe must not leave a new file behind). */
  mustExist?: boolean;
  /** What the lock is for, in the words of an error message ("Opening the library"). */
  what: string;
}

/**
 * Takes an exclusive lock on `path`, held until the returned release is called or the process
 * ends, however it ends: the OS drops the lock with the process, so a lock left by a crash, a
 * kill -9, a reboot or a reused pid is never mistaken for a live owner. Null when another process
 * (or this one) holds it. The lock is an exclusive SQLite transaction on the file, the one
 * portable OS file lock Node can take without a native module of its own. It writes nothing while
 * held (no journal), so holding it costs no space on a disk that fills up.
 */
export function tryExclusiveLock(path: string, options: LockOptions): (() => void) | null {
  if (heldHere.has(path)) return null;
  let lock: Database.Database;
  try {
    lock = new Database(path, {
      timeout: 0,
      fileMustExist: options.mustExist ?? false,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
  } catch (error) {
    throw fileSystemError(sqliteToErrno(error), options.what, path);
  }
  try {
    lock.pragma('locking_mode = EXCLUSIVE');
    lock.exec('CREATE TABLE IF NOT EXISTS held (at TEXT)');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) return null;
    throw fileSystemError(sqliteToErrno(error), options.what, path);
  }
  heldHere.add(path);
  return () => {
    if (!heldHere.delete(path)) return;
    lock.exec('ROLLBACK');
    lock.close();
  };
}
