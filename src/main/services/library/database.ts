import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { StudioError } from '../../../shared/errors';
import { fileSystemError } from '../files/atomic';
import { migrations } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /** A better-sqlite3 build for another runtime (Electron's ABI), see scripts/electron-native.js. */
  nativeBinding?: string;
}

/** Opens (creating if needed) the library in a data directory: WAL, foreign keys, migrated. */
export function openLibraryDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const path = join(dataDir, 'library.sqlite');
  let db: Db;
  try {
    mkdirSync(dataDir, { recursive: true });
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
    enableWal(db);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw fileSystemError(sqliteToErrno(error), 'Opening the library', path);
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Turning a new file to WAL takes an exclusive lock that SQLite does not wait for, so a second
 * process opening the same new library at that moment gets SQLITE_BUSY: retry for a while.
 */
function enableWal(db: Db): void {
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let attempt = 1; ; attempt++) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || attempt >= 100) throw error;
      Atomics.wait(pause, 0, 0, 20);
    }
  }
}

function migrate(db: Db): void {
  // Each step reads the version and applies the next migration under one write lock, so two
  // processes opening a new library at once (the app and the CLI) cannot both apply it.
  const step = db.transaction((): boolean => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > migrations.length) {
      throw new StudioError(
        'conflict',
        `The library was written by a newer version of Podcast Studio (schema ${current}, this build knows ${migrations.length}). Update the app.`,
        { path: db.name, schema: current, supported: migrations.length },
      );
    }
    if (current === migrations.length) return false;
    db.exec(migrations[current]!);
    db.pragma(`user_version = ${current + 1}`);
    return true;
  });
  while (step.immediate()) {}
}

/** SQLite reports a read-only or full disk in its own codes; map them to errno names. */
export function sqliteToErrno(error: unknown): unknown {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  if (code === 'SQLITE_CANTOPEN')
    return Object.assign(new Error((error as Error).message), { code: 'EACCES' });
  if (code.startsWith('SQLITE_READONLY')) {
    return Object.assign(new Error((error as Error).message), { code: 'EROFS' });
  }
  if (code === 'SQLITE_FULL')
    return Object.assign(new Error((error as Error).message), { code: 'ENOSPC' });
  return error;
}

export function now(): string {
  return new Date().toISOString();
}
