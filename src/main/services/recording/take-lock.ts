import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import type { TakeManifest } from '../../../shared/recording';
import { tryExclusiveLock } from '../files/exclusive-lock';
import { processAlive } from './take';

/**
 * The lock a recorder holds on its take folder from before take.json exists until the take is
 * finished. Whether a take marked `recording` is still being recorded is whether this lock is
 * held: the OS drops it with the process however it ends, so a crash, a reboot, a reused pid or
 * a zombie never hides a take from recovery.
 */
export const TAKE_LOCK = 'take.lock';
/** SQLite's journal, left beside the lock file only by a process that died while creating it. */
const TAKE_LOCK_JOURNAL = `${TAKE_LOCK}-journal`;

export interface TakeLockOptions {
  /** better-sqlite3's native build for this runtime (Electron's ABI in the app). */
  nativeBinding?: string;
}

/** Takes the folder's lock; `conflict` when another recorder holds it. Resolves to the release. */
export function lockTake(dir: string, options: TakeLockOptions = {}): () => Promise<void> {
  const release = tryExclusiveLock(join(dir, TAKE_LOCK), {
    nativeBinding: options.nativeBinding,
    what: 'Creating the take’s files',
  });
  if (!release)
    throw new StudioError('conflict', `The take in ${dir} is being recorded by another recorder.`, {
      path: dir,
    });
  return () => {
    release();
    return removeLockFiles(dir);
  };
}

/** Removes a lock nobody holds (after recovery): the take folder keeps only the take. */
export async function removeLockFiles(dir: string): Promise<void> {
  await Promise.all(
    [TAKE_LOCK, TAKE_LOCK_JOURNAL].map((name) =>
      rm(join(dir, name), { force: true }).catch(() => {}),
    ),
  );
}

/**
 * Claims a take marked `recording` whose recorder is gone, for recovery: resolves to the release
 * (which also removes the lock files when `removeFiles`), or null while its recorder still holds
 * the lock. A take written before takes were locked has no lock file and falls back to its pid
 * (on this machine, > 1, not this process, still running): the best an old take offers.
 */
export function claimInterruptedTake(
  dir: string,
  manifest: Pick<TakeManifest, 'pid' | 'hostname'>,
  options: TakeLockOptions = {},
): ((removeFiles: boolean) => Promise<void>) | null {
  const path = join(dir, TAKE_LOCK);
  if (!existsSync(path))
    return manifest.hostname === hostname() &&
      manifest.pid > 1 &&
      manifest.pid !== process.pid &&
      processAlive(manifest.pid)
      ? null
      : async () => {};
  let release: (() => void) | null;
  try {
    release = tryExclusiveLock(path, {
      nativeBinding: options.nativeBinding,
      mustExist: true,
      what: 'Checking the take',
    });
  } catch (error) {
    // The recorder finished and removed its lock between the two looks.
    if (!existsSync(path)) return async () => {};
    throw error;
  }
  if (!release) return null;
  const held = release;
  return async (removeFiles) => {
    held();
    if (removeFiles) await removeLockFiles(dir);
  };
}

/** Whether a take marked `recording` is being recorded now (see claimInterruptedTake). */
export async function takeIsBeingRecorded(
  dir: string,
  manifest: Pick<TakeManifest, 'pid' | 'hostname'>,
  options: TakeLockOptions = {},
): Promise<boolean> {
  const claim = claimInterruptedTake(dir, manifest, options);
  if (!claim) return true;
  // Only a look: the lock file stays for the recovery that follows.
  await claim(false);
  return false;
}
