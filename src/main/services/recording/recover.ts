import { join, resolve } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { type TakeManifest, takeTrackName } from '../../../shared/recording';
import { fileSystemError } from '../files/atomic';
import { readManifest, releaseSpace, writeManifest } from './take';
import { claimInterruptedTake, type TakeLockOptions } from './take-lock';
import { repairWav } from './wav-file';

export interface RecoveredTrack {
  file: string;
  /** The track's name (`track-<n>` when the take did not name it). */
  name: string;
  source: string;
  frames: number;
  durationSec: number;
  /** Null when the file was repaired (or already final); why not otherwise. */
  problem: string | null;
}

export interface RecoveryResult {
  dir: string;
  /** The manifest's status before: 'stopped' means there was nothing to do. */
  statusBefore: TakeManifest['status'];
  status: TakeManifest['status'];
  tracks: RecoveredTrack[];
}

/**
 * Recovers a take whose recorder died (take.json still says 'recording'): each WAV is cut to
 * whole frames and its header sizes (RIFF, or RF64 past 4 GiB) set from the file's real length,
 * so everything up to the last write is kept; then take.json says 'recovered' with each track's
 * frames. A take that was stopped properly is left as it is. Idempotent. Refuses a take whose
 * recorder is still running on this machine.
 */
export async function recoverTake(
  folder: string,
  options: TakeLockOptions = {},
): Promise<RecoveryResult> {
  const dir = resolve(folder);
  const manifest = await readManifest(dir);
  if (manifest.status === 'stopped') {
    return {
      dir,
      statusBefore: manifest.status,
      status: manifest.status,
      tracks: manifest.tracks.map((track, i) => ({
        ...base(track, i),
        frames: track.frames ?? 0,
        durationSec: (track.frames ?? 0) / manifest.sampleRate,
        problem: track.error,
      })),
    };
  }
  // Held while repairing: a second recovery (the CLI beside the app) waits its turn.
  const release =
    manifest.status === 'recording' ? claimInterruptedTake(dir, manifest, options) : async () => {};
  if (!release)
    throw new StudioError(
      'conflict',
      `The take in ${dir} is still being recorded (process ${manifest.pid}); stop it first.`,
      { path: dir, pid: manifest.pid },
    );
  let recovered = false;
  try {
    const result = await repairTake(dir, manifest);
    recovered = true;
    return result;
  } finally {
    await release(recovered);
  }
}

async function repairTake(dir: string, manifest: TakeManifest): Promise<RecoveryResult> {
  const tracks: RecoveredTrack[] = [];
  for (const [i, track] of manifest.tracks.entries()) {
    const path = join(dir, track.file);
    let repaired: Awaited<ReturnType<typeof repairWav>>;
    try {
      repaired = await repairWav(path);
    } catch (error) {
      const why = fileSystemError(error, `Recovering ${track.file}`, path);
      if (why.code !== 'file_missing') throw why;
      tracks.push({ ...base(track, i), frames: 0, durationSec: 0, problem: why.message });
      continue;
    }
    tracks.push(
      repaired
        ? {
            ...base(track, i),
            frames: repaired.frames,
            durationSec: repaired.frames / repaired.sampleRate,
            problem: null,
          }
        : {
            ...base(track, i),
            frames: 0,
            durationSec: 0,
            problem: `${track.file} has no readable WAV header (the recorder died while creating it).`,
          },
    );
  }
  // The dead recorder's reserve: its space is what lets take.json be rewritten on a full disk.
  await releaseSpace(dir);
  await writeManifest(dir, {
    ...manifest,
    status: 'recovered',
    tracks: manifest.tracks.map((track, i) => ({
      ...track,
      frames: tracks[i]!.frames,
      error: track.error ?? tracks[i]!.problem,
    })),
  });
  return { dir, statusBefore: manifest.status, status: 'recovered', tracks };
}

const base = (track: TakeManifest['tracks'][number], index: number) => ({
  file: track.file,
  name: takeTrackName(track, index),
  source: track.source,
});
