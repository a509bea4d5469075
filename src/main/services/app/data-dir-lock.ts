import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { fileSystemError, makeDirectorySync } from '../files/atomic';
import { tryExclusiveLock } from '../files/exclusive-lock';

const LOCK_NAME = 'studio.lock';
const OWNER_NAME = 'studio.lock.pid';

/**
 * One process at a time owns a data directory: starting the services marks unfinished jobs as
 * interrupted and sweeps half-written files, which would break another process's running import.
 *
 * The lock is an exclusive SQLite transaction on `studio.lock`, held for the life of the
 * services: the OS releases it when the process ends however it ends, so there is no stale lock
 * to judge and no race in taking one over. `studio.lock.pid` only names the owner in messages.
 */
export function lockDataDir(dataDir: string, nativeBinding?: string): () => void {
  const what = 'Opening the library';
  try {
    makeDirectorySync(dataDir);
  } catch (error) {
    throw fileSystemError(error, what, dataDir);
  }
  const release = tryExclusiveLock(join(dataDir, LOCK_NAME), { nativeBinding, what });
  if (!release) throw inUse(dataDir, ownerPid(dataDir));
  try {
    writeFileSync(join(dataDir, OWNER_NAME), String(process.pid));
  } catch {
    // Only used to name the owner in a message.
  }
  let held = true;
  return () => {
    if (!held) return;
    held = false;
    rmSync(join(dataDir, OWNER_NAME), { force: true });
    release();
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
