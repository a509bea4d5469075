import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { ProcessedFormat } from '../../../shared/domain';
import { StudioError } from '../../../shared/errors';
import type { ProcessingReport, ProcessingSettings } from '../../../shared/processing';
import { fileSystemError, makeDirectory } from '../files/atomic';
import { getAssetRow } from '../library/assets';
import { recordProcessedVersion } from '../library/processing';
import { getTrackRow } from '../library/tracks';
import { processFile } from '../processing/process-file';
import { assetFiles } from './asset-files';
import { type ImportContext, type ImportProgress, renameInMessage } from './import-media';
import { measureNewAsset } from './measure-asset';

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

  try {
    progress(0, 'Starting');
    const report = await runEngine({
      input: join(dataDir, source.path),
      inputName: sourceName,
      output,
      outputName,
      settings: input.settings,
      signal,
      onProgress: (fraction, stage) => progress(fraction * ENGINE_SHARE, stage),
    });

    progress(ENGINE_SHARE, 'Measuring the result');
    const measured = await measureNewAsset({
      dataDir,
      assetId,
      path: output,
      name: outputName,
      signal,
      onProgress: (step, fraction) =>
        step === 'measuring'
          ? progress(ENGINE_SHARE + fraction * MEASURE_SHARE, 'Measuring the result')
          : progress(0.98, 'Saving the waveform'),
    });
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
        ...measured,
      },
      report,
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

export interface RunEngineInput {
  /** The file to process, inside the data dir. */
  input: string;
  /** The name the user knows the input by. */
  inputName: string;
  /** The engine's output (`media/<asset id>/processed.<ext>`); its folder is made here. */
  output: string;
  outputName: string;
  settings: ProcessingSettings;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/**
 * Runs the processing engine on a file of the library into a new asset's folder, for a track's
 * processed version and for an episode's master alike. Messages and the report name the files as
 * the user knows them: paths inside the data dir mean nothing to the user and would go stale if
 * it moved.
 */
export async function runEngine(input: RunEngineInput): Promise<ProcessingReport> {
  const { inputName, outputName } = input;
  const outputDir = dirname(input.output);
  await makeDirectory(outputDir).catch((error: unknown) => {
    throw fileSystemError(error, `Processing ${inputName}`, outputDir);
  });
  const report = await processFile({
    input: input.input,
    output: input.output,
    settings: input.settings,
    signal: input.signal,
    onProgress: input.onProgress,
  }).catch((error: unknown) => {
    throw renameInMessage(
      renameInMessage(error, basename(input.input), inputName),
      basename(input.output),
      outputName,
    );
  });
  return { ...report, input: inputName, output: outputName };
}
