import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type InterruptedTake, takeTrackName } from '../../../shared/recording';
import { fileSystemError } from '../files/atomic';
import { readManifest } from '../recording/take';
import { type TakeLockOptions, takeIsBeingRecorded } from '../recording/take-lock';

/**
 * Where the app's recorder keeps its takes: `<data dir>/takes/<episode id>/<local time>/`, one
 * folder per take. The folders stay after the take is added to its episode: they are the
 * originals the library's copies were made from.
 */
export const takesRoot = (dataDir: string): string => join(dataDir, 'takes');

const pad = (n: number) => n.toString().padStart(2, '0');

/** `2026-11-23T15-04-05` in local time: sorts by time, reads like a date, valid on every OS. */
export function takeStamp(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}

/** Creates a new, empty take folder for the episode; a second take in the same second gets `-2`. */
export async function createTakeFolder(dataDir: string, episodeId: string, at = new Date()) {
  const parent = join(takesRoot(dataDir), episodeId);
  try {
    await mkdir(parent, { recursive: true });
    for (let n = 1; ; n++) {
      const dir = join(parent, n === 1 ? takeStamp(at) : `${takeStamp(at)}-${n}`);
      try {
        await mkdir(dir);
        return dir;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } catch (error) {
    throw fileSystemError(error, 'Creating the take folder', parent);
  }
}

/**
 * Takes under the takes folder still marked `recording` whose recorder is gone: nobody holds the
 * take's lock (take-lock.ts). Unreadable folders, and takes whose lock cannot be looked at, are
 * passed over: they are not ours to judge.
 */
export async function findInterruptedTakes(
  dataDir: string,
  options: TakeLockOptions = {},
): Promise<InterruptedTake[]> {
  const root = takesRoot(dataDir);
  const found: InterruptedTake[] = [];
  const episodes = await readdir(root, { withFileTypes: true }).catch(() => []);
  for (const episode of episodes.filter((entry) => entry.isDirectory())) {
    const takes = await readdir(join(root, episode.name), { withFileTypes: true }).catch(() => []);
    for (const take of takes.filter((entry) => entry.isDirectory())) {
      const dir = resolve(root, episode.name, take.name);
      const manifest = await readManifest(dir).catch(() => null);
      if (manifest?.status !== 'recording') continue;
      if (await takeIsBeingRecorded(dir, manifest, options).catch(() => true)) continue;
      found.push({
        dir,
        episodeId: manifest.episodeId ?? null,
        startedAt: manifest.startedAt,
        trackNames: manifest.tracks.map(takeTrackName),
      });
    }
  }
  return found.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
