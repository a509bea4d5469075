import { extname, join } from 'node:path';
import { MODEL_RATE } from '../../../shared/time';
import type { MediaProbe } from '../ffmpeg/probe';
import type { AssetRow } from '../library/rows';
import type { Analysis } from './analysis/analyze';

/** Where an asset's files live under the data directory (paths stored relative to it). */
export const assetFiles = {
  dir: (assetId: string) => join('media', assetId),
  source: (assetId: string, originalName: string) =>
    join('media', assetId, `source${extname(originalName).toLowerCase() || '.bin'}`),
  working: (assetId: string) => join('media', assetId, 'working.flac'),
  peaks: (assetId: string) => join('media', assetId, 'peaks.bin'),
  /** A processed version: the engine's output, in the format the episode asks for. */
  processed: (assetId: string, format: string) => join('media', assetId, `processed.${format}`),
};

/** The file to play and edit: the 48 kHz working copy when one was made, else the source copy. */
export function playbackPath(dataDir: string, row: AssetRow): string {
  return join(dataDir, row.working_path ?? row.path);
}

export function mimeTypeFor(path: string): string {
  const types: Record<string, string> = {
    '.wav': 'audio/wav',
    '.flac': 'audio/flac',
    '.mp3': 'audio/mpeg',
    '.m4a': 'audio/mp4',
    '.aac': 'audio/aac',
    '.mp4': 'video/mp4',
    '.ogg': 'audio/ogg',
    '.opus': 'audio/ogg',
    '.webm': 'audio/webm',
    '.aif': 'audio/aiff',
    '.aiff': 'audio/aiff',
  };
  return types[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** An asset row's columns that come from probing and measuring its file. */
export function measuredColumns(
  probe: MediaProbe,
  analysis: Analysis,
): Pick<
  AssetRow,
  | 'format'
  | 'sample_rate'
  | 'channels'
  | 'duration_samples'
  | 'integrated_lufs'
  | 'lra'
  | 'true_peak_dbtp'
  | 'sample_peak_dbfs'
> {
  return {
    format: `${probe.container.split(',')[0]}/${probe.codec}`,
    sample_rate: probe.sampleRate,
    channels: probe.channels,
    duration_samples: Math.round((analysis.frames * MODEL_RATE) / probe.sampleRate),
    integrated_lufs: analysis.loudness.integratedLufs,
    lra: analysis.loudness.lra,
    true_peak_dbtp: analysis.loudness.truePeakDbtp,
    sample_peak_dbfs: analysis.loudness.samplePeakDbfs,
  };
}
