import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ProcessedFormat } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import type { ProcessingSettings } from '../../../shared/processing';
import { probeMedia } from '../ffmpeg/probe';
import {
  commitTempFile,
  fileSystemError,
  makeDirectory,
  tempPathFor,
  writeAtomically,
} from '../files/atomic';
import { getAssetRow } from '../library/assets';
import { recordProcessedVersion } from '../library/processing';
import { getTrackRow } from '../library/tracks';
import { processFile } from '../processing/process-file';
import { analyzeMedia } from './analysis/analyze';
import { assetFiles, measuredColumns } from './asset-files';
import {
  type ImportContext,
  type ImportProgress,
  needsWorkingCopy,
  renameInMessage,
} from './import-media';
import { writePeaksFile } from './peaks-file';

/** A processing job's input: everything it needs, fixed when the user pressed Run. */
export interface ProcessTrackInput {
  trackId: string;
  /** The track's asset when the job was queued; if the track's audio changes, the job refuses. */
  sourceAssetId: string;
  settings: ProcessingSettings;
  format: ProcessedFormat;
}

/** Share of the job's progress bar: the engine, then measuring the result, then saving. */
const ENGINE_SHARE = 0.9;
const MEASURE_SHARE = 0.08;

/**
 * Processes a track's audio into a new asset: the engine writes `media/<new id>/processed.<ext>`
 * from the copied source (never changing it), the result is measured and drawn like an import,
 * and only then does the track point at it, replacing its previous processed version. On failure
 * or cancel the new folder is removed and the track keeps what it had.
 */
export async function processTrack(
  context: ImportContext,
  input: ProcessTrackInput,
  { signal, progress = () => {} }: ImportProgress = {},
): Promise<{ assetId: string }> {
  const { db, dataDir } = context;
  const track = getTrackRow(db, input.trackId);
  if (track.asset_id !== input.sourceAssetId) {
    throw new StudioError(
      'conflict',
      `The audio of “${track.name}” changed after processing was asked for; process it again.`,
      { trackId: input.trackId },
    );
  }
  const source = getAssetRow(db, input.sourceAssetId);
  const sourceName = source.original_name;
  const stem = basename(sourceName, extname(sourceName)) || track.name;
  const outputName = `${stem} (processed).${input.format}`;
  const assetId = randomUUID();
  const assetDir = join(dataDir, assetFiles.dir(assetId));
  const outputRel = assetFiles.processed(assetId, input.format);
  const output = join(dataDir, outputRel);
  const sourcePath = join(dataDir, source.path);
  // The engine and the measuring name files by their names in the data dir; say them as the
  // user knows them.
  const inUserWords = (error: unknown) =>
    renameInMessage(
      renameInMessage(error, basename(sourcePath), sourceName),
      basename(output),
      outputName,
    );

  try {
    progress(0, 'Starting');
    await makeDirectory(assetDir).catch((error: unknown) => {
      throw fileSystemError(error, `Processing ${sourceName}`, assetDir);
    });
    const report = await processFile({
      input: sourcePath,
      output,
      settings: input.settings,
      signal,
      onProgress: (fraction, stage) => progress(fraction * ENGINE_SHARE, stage),
    }).catch((error: unknown) => {
      throw inUserWords(error);
    });

    progress(ENGINE_SHARE, 'Measuring the result');
    const probe = await probeMedia(output, signal);
    const workingRel = needsWorkingCopy(probe) ? assetFiles.working(assetId) : null;
    const workingTemp = workingRel ? tempPathFor(join(dataDir, workingRel)) : undefined;
    const analysis = await analyzeMedia({
      path: output,
      container: probe.container,
      sampleRate: probe.sampleRate,
      channels: probe.channels,
      durationSec: probe.durationSec,
      signal,
      workingCopyPath: workingTemp,
      onProgress: (fraction) =>
        progress(ENGINE_SHARE + fraction * MEASURE_SHARE, 'Measuring the result'),
    }).catch((error: unknown) => {
      throw inUserWords(error);
    });
    if (workingRel && workingTemp) {
      await commitTempFile(workingTemp, join(dataDir, workingRel)).catch((error: unknown) => {
        throw fileSystemError(error, `Saving the working copy of ${outputName}`, workingTemp);
      });
    }
    progress(0.98, 'Saving the waveform');
    const peaksRel = assetFiles.peaks(assetId);
    await writeAtomically(
      join(dataDir, peaksRel),
      (temp) => writePeaksFile(temp, analysis.peaks),
      `Saving the waveform of ${outputName}`,
    );
    const sizeBytes = (await stat(output)).size;
    if (signal?.aborted) throw new StudioError('cancelled', `Processing ${sourceName}: cancelled`);

    progress(0.99, 'Adding to the track');
    const { replacedAssetId } = recordProcessedVersion(db, {
      trackId: input.trackId,
      sourceAssetId: input.sourceAssetId,
      asset: {
        id: assetId,
        episode_id: track.episode_id,
        original_name: outputName,
        path: outputRel,
        working_path: workingRel,
        peaks_path: peaksRel,
        size_bytes: sizeBytes,
        ...measuredColumns(probe, analysis),
      },
      // Paths inside the data dir mean nothing to the user and would go stale if it moved.
      report: { ...report, input: sourceName, output: outputName },
    });
    // The previous version's files go only after the new one is recorded.
    if (replacedAssetId) {
      await rm(join(dataDir, assetFiles.dir(replacedAssetId)), {
        recursive: true,
        force: true,
      }).catch((error: unknown) => console.warn('Could not remove the old processed files', error));
    }
    context.bus.emit('library.changed', { scope: 'tracks', episodeId: track.episode_id });
    return { assetId };
  } catch (error) {
    await rm(assetDir, { recursive: true, force: true }).catch(() => {});
    if (signal?.aborted) throw new StudioError('cancelled', `Processing ${sourceName}: cancelled`);
    throw error;
  }
}
