import { extname, join } from 'node:path';
import type { AssetRow } from '../library/rows';

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
