import { stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type MediaProbe, probeMedia } from '../ffmpeg/probe';
import { commitTempFile, fileSystemError, tempPathFor, writeAtomically } from '../files/atomic';
import type { NewAsset } from '../library/assets';
import { type Analysis, type AnalysisInput, analyzeMedia } from './analysis/analyze';
import { assetFiles, measuredColumns } from './asset-files';
import { needsWorkingCopy, renameInMessage } from './import-media';
import { writePeaksFile } from './peaks-file';

/** An asset's columns that measuring its finished file gives: everything but id, episode, kind, name. */
export type MeasuredAsset = Pick<
  NewAsset,
  | 'working_path'
  | 'peaks_path'
  | 'size_bytes'
  | 'format'
  | 'sample_rate'
  | 'channels'
  | 'duration_samples'
  | 'integrated_lufs'
  | 'lra'
  | 'true_peak_dbtp'
  | 'sample_peak_dbfs'
>;

export interface MeasureAssetInput {
  dataDir: string;
  /** The new asset's id: its files go in its `media/<id>/` folder. */
  assetId: string;
  /** The finished file, already in the asset's folder (absolute). */
  path: string;
  /** The name the user knows it by, used in messages instead of the file's name in the data dir. */
  name: string;
  signal?: AbortSignal;
  /** `measuring` with 0..1 as the file is read, then `waveform` once while the peaks are saved. */
  onProgress?: (step: 'measuring' | 'waveform', fraction: number) => void;
}

/**
 * What every asset made by the studio goes through before it is recorded (a processed version,
 * a mixdown and its master): probe the finished file, measure loudness and draw the waveform in
 * one decode (making the 48 kHz working copy at the same time when the format needs one), then
 * write the peaks. The caller inserts the row; on failure it removes the asset's folder.
 */
export async function measureNewAsset(input: MeasureAssetInput): Promise<MeasuredAsset> {
  const { dataDir, assetId, path, name, signal } = input;
  const onProgress = input.onProgress ?? (() => {});
  const probe = await probeMedia(path, signal).catch((error: unknown) => {
    throw renameInMessage(error, basename(path), name);
  });
  const workingRel = needsWorkingCopy(probe) ? assetFiles.working(assetId) : null;
  const workingTemp = workingRel ? tempPathFor(join(dataDir, workingRel)) : undefined;
  const analysis = await analyzeProbed(path, name, probe, {
    signal,
    workingCopyPath: workingTemp,
    onProgress: (fraction) => onProgress('measuring', fraction),
  });
  if (workingRel && workingTemp) {
    await commitTempFile(workingTemp, join(dataDir, workingRel)).catch((error: unknown) => {
      throw fileSystemError(error, `Saving the working copy of ${name}`, workingTemp);
    });
  }
  onProgress('waveform', 1);
  const peaksRel = await writeAssetPeaks(dataDir, assetId, name, analysis.peaks);
  return {
    working_path: workingRel,
    peaks_path: peaksRel,
    size_bytes: (await stat(path)).size,
    ...measuredColumns(probe, analysis),
  };
}

/** analyzeMedia on a probed file, its errors naming the file as the user knows it (`name`). */
export function analyzeProbed(
  path: string,
  name: string,
  probe: MediaProbe,
  options: Pick<AnalysisInput, 'signal' | 'workingCopyPath' | 'onProgress'> = {},
): Promise<Analysis> {
  return analyzeMedia({
    path,
    container: probe.container,
    sampleRate: probe.sampleRate,
    channels: probe.channels,
    durationSec: probe.durationSec,
    ...options,
  }).catch((error: unknown) => {
    throw renameInMessage(error, basename(path), name);
  });
}

/** Writes an asset's peaks file (atomically) and returns its path relative to the data dir. */
export async function writeAssetPeaks(
  dataDir: string,
  assetId: string,
  name: string,
  peaks: Analysis['peaks'],
): Promise<string> {
  const peaksRel = assetFiles.peaks(assetId);
  await writeAtomically(
    join(dataDir, peaksRel),
    (temp) => writePeaksFile(temp, peaks),
    `Saving the waveform of ${name}`,
  );
  return peaksRel;
}
