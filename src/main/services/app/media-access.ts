import { join } from 'node:path';
import { StudioError } from '../../../shared/errors';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import { playbackPath } from '../media/asset-files';
import { readPeaksLevel } from '../media/peaks-file';
import { type RangeResponse, serveFileRange } from '../media/serve-range';

/** What the media protocol (Electron) and the media routes (browser host) both serve. */
export interface MediaAccess {
  audio(assetId: string, range: string | null): Promise<RangeResponse>;
  peaks(assetId: string, minPairs: number): Promise<Buffer>;
}

export function createMediaAccess(db: Db, dataDir: string): MediaAccess {
  return {
    async audio(assetId, range) {
      const row = getAssetRow(db, assetId);
      return serveFileRange(playbackPath(dataDir, row), range);
    },
    async peaks(assetId, minPairs) {
      const row = getAssetRow(db, assetId);
      if (!row.peaks_path)
        throw new StudioError('not_found', `No waveform for ${row.original_name}`);
      const frames = Math.round((row.duration_samples * row.sample_rate) / 48_000);
      return readPeaksLevel(join(dataDir, row.peaks_path), frames, minPairs);
    },
  };
}
