import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isFinished, type Job } from '../../../shared/domain';
import { StudioError, toErrorValue } from '../../../shared/errors';
import { type TakeStatus, type TakeTrack, takeTrackName } from '../../../shared/recording';
import { MODEL_RATE } from '../../../shared/time';
import { getEpisode } from '../library/episodes';
import { listTracks } from '../library/tracks';
import { readManifest } from '../recording/take';
import { writeAlignedTrack } from '../recording/take-alignment';
import { enqueueImports } from './import-job';
import type { Services } from './services';

/** What became of one track of the take. */
export interface TakeTrackAdded {
  file: string;
  name: string;
  source: string;
  /** `added`: a new track of the episode; `skipped`: the file holds no audio; `failed`: the import failed. */
  status: 'added' | 'skipped' | 'failed';
  /** The new track, when added. */
  trackId: string | null;
  /** The import job (null when skipped). */
  jobId: string | null;
  /** Seconds of audio in the new track (0 when not added). */
  durationSec: number;
  integratedLufs: number | null;
  /** Why the track was skipped or failed; null when added. */
  error: string | null;
  /** The capture's own error for a track cut short while recording (kept, it is still added). */
  captureError: string | null;
  /**
   * A sentence the user should read about a track that was imported anyway: it could not be
   * lined up with the take (say the disk was full), so it was imported as recorded. Else null.
   */
  note: string | null;
}

export interface TakeAdded {
  dir: string;
  episodeId: string;
  takeStatus: TakeStatus;
  /** In the take's track order, which is also the order of the new tracks in the episode. */
  tracks: TakeTrackAdded[];
}

/** Resolves once every job is finished, with their final state. */
function whenFinished(services: Services, ids: string[]): Promise<Job[]> {
  return new Promise((done) => {
    const check = () => {
      const jobs = ids.map((id) => services.jobs.get(id));
      if (!jobs.every((job) => isFinished(job.status))) return;
      off();
      done(jobs);
    };
    const off = services.bus.on('job.updated', (job) => {
      if (ids.includes(job.id) && isFinished(job.status)) check();
    });
    check();
  });
}

/**
 * Adds a stopped or recovered take to an episode: each track with audio is imported through the
 * ordinary import jobs (copied into the library, never moved, so the take folder stays whole;
 * loudness measured and waveform peaks computed), lined up on the take's clock where its stored
 * sync says so (start offset, drift), named after the take's track and appended to
 * the episode in the take's order, as an asset of kind `recording`. A take still marked
 * `recording` is refused (its recorder is running, or died: `studio recover` repairs it first).
 * One track failing does not stop the others; the result says what became of each.
 */
export async function addTakeToEpisode(
  services: Services,
  takeDir: string,
  episodeId: string,
): Promise<TakeAdded> {
  const dir = resolve(takeDir);
  const manifest = await readManifest(dir);
  if (manifest.status === 'recording')
    throw new StudioError(
      'conflict',
      `The take in ${dir} is still marked as recording: it is being recorded, or its recorder stopped without finishing it. Recover it first with: studio recover ${dir}`,
      { path: dir },
    );
  getEpisode(services.db, episodeId);

  const tracks = manifest.tracks.map((track, i) => ({
    track,
    name: takeTrackName(track, i),
    withAudio: (track.frames ?? 0) > 0,
  }));
  const wanted = tracks.filter((t) => t.withAudio);
  // Tracks whose device started off the take's start or whose clock drifted are lined up first,
  // into copies beside the take (the recorded files stay as they were). Each on its own: a track
  // that cannot be lined up (the take's disk is full after a disk-full stop) is imported as
  // recorded, a little off, rather than making the whole take impossible to add.
  const copies: string[] = [];
  try {
    const aligned = await Promise.all(
      wanted.map(async ({ track, name }) => {
        const recorded = resolve(dir, track.file);
        const copy = resolve(dir, `.aligned-${track.file}`);
        try {
          const made = await writeAlignedTrack(recorded, copy, track.sync, manifest.sampleRate);
          if (!made) return { path: recorded, note: null };
          copies.push(copy);
          return { path: copy, note: null };
        } catch (error) {
          return {
            path: recorded,
            note: `“${name}” was added as recorded: it could not be lined up with the take (${alignmentFailure(error)}).`,
          };
        }
      }),
    );
    const before = new Set(listTracks(services.db, episodeId).map((track) => track.id));
    // One job per track, queued together: the queue runs them one at a time in this order, so the
    // new tracks take the take's order.
    const jobIds = enqueueImports(
      services,
      episodeId,
      wanted.map(({ name }, i) => ({
        path: aligned[i]!.path,
        name: `${name}.wav`,
        trackName: name,
        assetKind: 'recording' as const,
      })),
    );
    const jobs = await whenFinished(services, jobIds);
    return result(
      services,
      dir,
      episodeId,
      manifest.status,
      tracks,
      jobs,
      before,
      (i) => aligned[i]!.note,
    );
  } finally {
    // The copies were only for the import, which copied them into the library.
    await Promise.all(copies.map((copy) => rm(copy, { force: true }).catch(() => {})));
  }
}

/** Why lining up failed, in a few words: "the disk is full", else the error's own message. */
function alignmentFailure(error: unknown): string {
  const value = toErrorValue(error);
  if (value.code === 'disk_full') return 'the disk is full';
  return value.message.replace(/[.\s]+$/, '');
}

/** What became of each track, once every import job has finished. */
function result(
  services: Services,
  dir: string,
  episodeId: string,
  takeStatus: TakeStatus,
  tracks: { track: TakeTrack; name: string; withAudio: boolean }[],
  jobs: Job[],
  before: Set<string>,
  noteOf: (wantedIndex: number) => string | null,
): TakeAdded {
  // The import reports its track to nobody: find each new track by its asset.
  const fresh = listTracks(services.db, episodeId).filter(
    (track) => !before.has(track.id) && track.asset?.kind === 'recording',
  );
  const claimed = new Set<string>();
  let next = 0;
  return {
    dir,
    episodeId,
    takeStatus,
    tracks: tracks.map(({ track, name, withAudio }): TakeTrackAdded => {
      const base = {
        file: track.file,
        name,
        source: track.source,
        captureError: track.error,
        trackId: null,
        durationSec: 0,
        integratedLufs: null,
        note: null,
      };
      if (!withAudio)
        return {
          ...base,
          status: 'skipped',
          jobId: null,
          error: `${track.file} holds no audio${track.error ? ` (${track.error})` : ''}.`,
        };
      const note = noteOf(next);
      const job = jobs[next++]!;
      const added =
        job.status === 'done'
          ? fresh.find((t) => !claimed.has(t.id) && t.asset?.originalName === `${name}.wav`)
          : undefined;
      if (!added)
        return {
          ...base,
          status: 'failed',
          jobId: job.id,
          error: job.error?.message ?? `${job.title}: ${job.status}`,
          note,
        };
      claimed.add(added.id);
      return {
        ...base,
        status: 'added',
        jobId: job.id,
        trackId: added.id,
        durationSec: (added.asset?.durationSamples ?? 0) / MODEL_RATE,
        integratedLufs: added.asset?.loudness.integratedLufs ?? null,
        error: null,
        note,
      };
    }),
  };
}
