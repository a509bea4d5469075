import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { formatDuration, samplesToSeconds } from '../../../shared/time';
import { probeMedia } from '../ffmpeg/probe';
import {
  commitTempFile,
  copyAtomically,
  fileSystemError,
  makeDirectory,
  tempPathFor,
} from '../files/atomic';
import { getAssetRow } from '../library/assets';
import { inTransaction } from '../library/transaction';
import { analyzeMedia } from './analysis/analyze';
import { assetFiles, measuredColumns } from './asset-files';
import {
  checkSource,
  type ImportContext,
  type ImportProgress,
  needsWorkingCopy,
} from './import-media';
import { writeAssetPeaks } from './measure-asset';

/** How far a relinked file's length may differ from the missing one's: 10 ms at 48 kHz. */
const LENGTH_TOLERANCE = 480;

export interface RelinkInput {
  assetId: string;
  sourcePath: string;
  originalName: string;
  /** A staged upload inside the data dir: deleted once copied (or on failure). */
  staged?: boolean;
}

/**
 * Gives an asset whose files went missing (moved or deleted outside the app) its audio back from a
 * file the user points to. The file must be the same recording: same channels, same length within
 * 10 ms, or every clip cut from it would play the wrong audio. It is copied in under the asset's
 * own id with a new working copy and waveform, so the edit's clips play again without changes.
 * The asset's row changes only once everything is in place.
 */
export async function relinkMedia(
  context: ImportContext,
  input: RelinkInput,
  { signal, progress = () => {} }: ImportProgress = {},
): Promise<void> {
  const { db, dataDir } = context;
  const row = getAssetRow(db, input.assetId);
  const name = input.originalName;
  try {
    progress(null, `Reading ${name}`);
    await checkSource(input.sourcePath, name, `Relinking ${row.original_name}`);
    const probe = await probeMedia(input.sourcePath, signal);
    if (probe.channels !== row.channels) {
      throw new StudioError(
        'invalid_input',
        `${name} has ${probe.channels} channel${probe.channels === 1 ? '' : 's'} but ${row.original_name} had ${row.channels}: pick the same recording.`,
      );
    }
    // Told before copying when the container knows its length; measured exactly after analysis.
    const length = probe.durationSec === null ? null : Math.round(probe.durationSec * 48_000);
    if (
      length !== null &&
      probe.durationSec !== null &&
      Math.abs(length - row.duration_samples) > LENGTH_TOLERANCE
    ) {
      throw new StudioError(
        'invalid_input',
        `${name} is ${formatDuration(probe.durationSec, true)} long but ${row.original_name} was ${formatDuration(samplesToSeconds(row.duration_samples), true)}: pick the same recording, or its clips would play the wrong audio.`,
      );
    }

    const sourceRel = assetFiles.source(input.assetId, name);
    const workingRel = needsWorkingCopy(probe) ? assetFiles.working(input.assetId) : null;
    const assetDir = join(dataDir, assetFiles.dir(input.assetId));
    await makeDirectory(assetDir).catch((error: unknown) => {
      throw fileSystemError(error, `Relinking ${row.original_name}`, assetDir);
    });
    await copyAtomically(input.sourcePath, join(dataDir, sourceRel), `Copying ${name}`);
    progress(0, 'Measuring loudness and drawing the waveform');
    const workingTemp = workingRel ? tempPathFor(join(dataDir, workingRel)) : undefined;
    const analysis = await analyzeMedia({
      path: join(dataDir, sourceRel),
      container: probe.container,
      sampleRate: probe.sampleRate,
      channels: probe.channels,
      durationSec: probe.durationSec,
      ...(signal ? { signal } : {}),
      workingCopyPath: workingTemp,
      onProgress: (fraction) =>
        progress(fraction * 0.97, 'Measuring loudness and drawing the waveform'),
    });
    // The analysis measures frames exactly; the probe's duration can be a container's estimate.
    const measured = measuredColumns(probe, analysis);
    if (Math.abs(measured.duration_samples - row.duration_samples) > LENGTH_TOLERANCE) {
      throw new StudioError(
        'invalid_input',
        `${name} is not the same length as ${row.original_name}: pick the same recording.`,
      );
    }
    if (workingRel && workingTemp) await commitTempFile(workingTemp, join(dataDir, workingRel));
    const peaksRel = await writeAssetPeaks(dataDir, input.assetId, name, analysis.peaks);
    const sizeBytes = (await stat(join(dataDir, sourceRel))).size;
    inTransaction(db, `Relinking ${row.original_name}`, () => {
      db.prepare(
        `UPDATE assets SET path = ?, working_path = ?, peaks_path = ?, size_bytes = ?, format = ?,
           sample_rate = ?, integrated_lufs = ?, lra = ?, true_peak_dbtp = ?, sample_peak_dbfs = ?
         WHERE id = ?`,
      ).run(
        sourceRel,
        workingRel,
        peaksRel,
        sizeBytes,
        measured.format,
        measured.sample_rate,
        measured.integrated_lufs,
        measured.lra,
        measured.true_peak_dbtp,
        measured.sample_peak_dbfs,
        input.assetId,
      );
    });
    context.bus.emit('library.changed', {
      scope: 'tracks',
      episodeId: row.episode_id ?? undefined,
    });
  } catch (error) {
    if (signal?.aborted)
      throw new StudioError('cancelled', `Relinking ${row.original_name} cancelled`);
    throw error;
  } finally {
    if (input.staged) await rm(input.sourcePath, { force: true }).catch(() => {});
  }
}
