import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw fileSystemError(sqliteToErrno(error), 'Opening the library', path);
  }
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The library was written by a newer version of Podcast Studio (schema ${current}, this build knows ${migrations.length}). Update the app.`,
    );
  }
  for (let version = current + 1; version <= migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version - 1]!);
      db.pragma(`user_version = ${version}`);
    })();
  }
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
