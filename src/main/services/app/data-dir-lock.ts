import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';

const LOCK_NAME = 'studio.lock';
/** Directories this process holds: a lock file with our own pid may also be a stale one. */
const heldHere = new Set<string>();

/**
 * One process at a time owns a data directory: starting the services marks unfinished jobs as
 * interrupted and sweeps half-written files, which would break another process's running import.
 * A lock left by a process that has died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_NAME);
  if (heldHere.has(path)) throw inUse(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(readFileSync(path, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && isAlive(owner)) {
        throw inUse(dataDir, owner);
      }
      rmSync(path, { force: true }); // stale: its process is gone
    }
  }
  throw new StudioError('conflict', `Could not lock the library in ${dataDir}.`, { dataDir });
}

function inUse(dataDir: string, pid: number): StudioError {
  return new StudioError(
    'conflict',
    `The library in ${dataDir} is already open in Podcast Studio (pid ${pid}). Close it first, or use another data directory (--data-dir or STUDIO_DATA_DIR).`,
    { dataDir, pid },
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
