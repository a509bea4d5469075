import { randomUUID } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { MODEL_RATE } from '../../../shared/time';
import type { EventBus } from '../events/event-bus';
import { type MediaProbe, probeMedia } from '../ffmpeg/probe';
import {
  commitTempFile,
  copyAtomically,
  fileSystemError,
  makeDirectory,
  tempPathFor,
  writeAtomically,
} from '../files/atomic';
import { insertAsset } from '../library/assets';
import { type Db, now } from '../library/database';
import { getEpisode } from '../library/episodes';
import { insertTrack } from '../library/tracks';
import { inTransaction } from '../library/transaction';
import { analyzeMedia } from './analysis/analyze';
import { assetFiles, measuredColumns } from './asset-files';
import { writePeaksFile } from './peaks-file';

export interface ImportInput {
  episodeId: string;
  sourcePath: string;
  /** The name the user knows the file by (uploads arrive under a staging name). */
  originalName: string;
  /** The source is a staged upload inside the data dir: move it instead of copying, delete on failure. */
  staged?: boolean;
  /** The new track's name; default: the file name without its extension. */
  trackName?: string;
  /** The asset's kind: `recording` for a take's track; default `import`. */
  assetKind?: 'import' | 'recording';
  /** Instead of a new track: give this asset, whose files went missing, its audio back (relink-media.ts). */
  relinkAssetId?: string;
}

export interface ImportContext {
  db: Db;
  dataDir: string;
  bus: EventBus;
}

export interface ImportProgress {
  signal?: AbortSignal;
  progress?: (fraction: number | null, stage: string) => void;
}

/** Codecs the editor can use as they are at 48 kHz; anything else gets a 48 kHz FLAC working copy. */
const EDITABLE_CODECS = new Set(['pcm_s16le', 'pcm_s24le', 'pcm_s32le', 'pcm_f32le', 'flac']);

export function needsWorkingCopy(probe: MediaProbe): boolean {
  return probe.sampleRate !== MODEL_RATE || !EDITABLE_CODECS.has(probe.codec) || probe.hasVideo;
}

/**
 * Imports one file into an episode as a new track: copies the source into the data dir (never
 * touching the original), makes a working copy when needed, measures loudness and computes peaks
 * in one decode, then records asset and track in one transaction. On any failure nothing is left:
 * no row, no file.
 */
export async function importMedia(
  context: ImportContext,
  input: ImportInput,
  { signal, progress = () => {} }: ImportProgress = {},
): Promise<{ assetId: string; trackId: string }> {
  const { db, dataDir } = context;
  const name = input.originalName;
  getEpisode(db, input.episodeId);

  progress(null, `Reading ${name}`);
  await checkSource(input.sourcePath, name);
  const probe = await probeMedia(input.sourcePath, signal).catch((error: unknown) => {
    throw renameInMessage(error, basename(input.sourcePath), name);
  });

  const assetId = randomUUID();
  const assetDir = join(dataDir, assetFiles.dir(assetId));
  const sourceRel = assetFiles.source(assetId, name);
  const workingRel = needsWorkingCopy(probe) ? assetFiles.working(assetId) : null;
  const peaksRel = assetFiles.peaks(assetId);
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  if (signal?.aborted) abort.abort();
  signal?.addEventListener('abort', onOuterAbort, { once: true });

  try {
    progress(0, 'Measuring loudness and drawing the waveform');
    const workingTemp = workingRel ? tempPathFor(join(dataDir, workingRel)) : undefined;
    await makeDirectory(assetDir).catch((error: unknown) => {
      throw fileSystemError(error, `Importing ${name}`, assetDir);
    });
    // A staged upload already lives in the data dir: move it first, then read it from there.
    // Otherwise the copy and the analysis read the source at the same time, on separate cores.
    let analysisSource = input.sourcePath;
    let firstFailure: { error: unknown } | undefined;
    let copy: Promise<void> = Promise.resolve();
    if (input.staged) {
      await moveInto(input.sourcePath, join(dataDir, sourceRel), name);
      analysisSource = join(dataDir, sourceRel);
    } else {
      copy = copyAtomically(input.sourcePath, join(dataDir, sourceRel), `Copying ${name}`).catch(
        (error: unknown) => {
          firstFailure ??= { error };
          abort.abort();
          throw error;
        },
      );
    }
    const analysis = analyzeMedia({
      path: analysisSource,
      container: probe.container,
      sampleRate: probe.sampleRate,
      channels: probe.channels,
      durationSec: probe.durationSec,
      signal: abort.signal,
      workingCopyPath: workingTemp,
      onProgress: (fraction) =>
        progress(fraction * 0.97, 'Measuring loudness and drawing the waveform'),
    }).catch((error: unknown) => {
      const renamed = renameInMessage(error, basename(analysisSource), name);
      firstFailure ??= { error: renamed };
      abort.abort();
      throw renamed;
    });
    // Wait for both before cleaning up, so no write lands after the folder is removed. The first
    // failure is the cause: the other side then only reports that it was stopped ("cancelled").
    const [analyzed] = await Promise.allSettled([analysis, copy]);
    if (firstFailure) throw firstFailure.error;
    if (analyzed.status === 'rejected') throw analyzed.reason;
    const result = analyzed.value;
    if (workingRel && workingTemp) {
      await commitTempFile(workingTemp, join(dataDir, workingRel)).catch((error: unknown) => {
        throw fileSystemError(error, `Saving the working copy of ${name}`, workingTemp);
      });
    }
    progress(0.98, 'Saving the waveform');
    await writeAtomically(
      join(dataDir, peaksRel),
      (temp) => writePeaksFile(temp, result.peaks),
      `Saving the waveform of ${name}`,
    );
    const sizeBytes = (await stat(join(dataDir, sourceRel))).size;
    if (signal?.aborted) throw new StudioError('cancelled', `Import of ${name} cancelled`);

    progress(0.99, 'Adding to the episode');
    let trackId = '';
    inTransaction(db, `Adding ${name} to the library`, () => {
      getEpisode(db, input.episodeId);
      insertAsset(
        db,
        {
          id: assetId,
          episode_id: input.episodeId,
          kind: input.assetKind ?? 'import',
          original_name: name,
          path: sourceRel,
          working_path: workingRel,
          peaks_path: peaksRel,
          size_bytes: sizeBytes,
          ...measuredColumns(probe, result),
        },
        now(),
      );
      trackId = insertTrack(db, input.episodeId, input.trackName ?? trackNameFor(name), assetId);
    });
    context.bus.emit('library.changed', { scope: 'tracks', episodeId: input.episodeId });
    return { assetId, trackId };
  } catch (error) {
    await rm(assetDir, { recursive: true, force: true }).catch(() => {});
    if (input.staged) await rm(input.sourcePath, { force: true }).catch(() => {});
    if (signal?.aborted) throw new StudioError('cancelled', `Import of ${name} cancelled`);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onOuterAbort);
  }
}

export async function checkSource(
  path: string,
  name: string,
  what = `Importing ${name}`,
): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw fileSystemError(error, what, path);
  }
  if (info.isDirectory()) {
    throw new StudioError('media_unreadable', `${name} is a folder, not an audio file.`, { path });
  }
  if (info.size === 0) {
    throw new StudioError('file_empty', `${name} is empty (0 bytes): there is no audio in it.`, {
      path,
    });
  }
}

async function moveInto(staged: string, destination: string, name: string): Promise<void> {
  await writeAtomically(destination, (temp) => rename(staged, temp), `Saving ${name}`);
}

/** Messages name the file as the user knows it, not by its staging name. */
export function renameInMessage(error: unknown, from: string, to: string): unknown {
  if (!(error instanceof StudioError) || from === to) return error;
  return new StudioError(error.code, error.message.split(from).join(to), error.details);
}

export function trackNameFor(fileName: string): string {
  const stem = basename(fileName, extname(fileName)).trim();
  return (stem || 'Track').slice(0, 100);
}
