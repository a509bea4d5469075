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
  /** The coarsest stored level with at least `minPairs` min/max pairs (clamped to a sane range). */
  peaks(assetId: string, minPairs: number): Promise<Buffer>;
}

export function createMediaAccess(db: Db, dataDir: string): MediaAccess {
  return {
    async audio(assetId, range) {
      const row = getAssetRow(db, assetId);
      return serveFileRange(playbackPath(dataDir, row), range);
    },
    async peaks(assetId, requestedPairs) {
      const row = getAssetRow(db, assetId);
      // Whatever a URL asked for: at least one pair, at most a million (a 4K screen needs ~8000).
      const minPairs = Number.isFinite(requestedPairs)
        ? Math.max(1, Math.min(1_000_000, Math.round(requestedPairs)))
        : 1000;
      if (!row.peaks_path)
        throw new StudioError('not_found', `No waveform for ${row.original_name}`);
      const frames = Math.round((row.duration_samples * row.sample_rate) / 48_000);
      return readPeaksLevel(join(dataDir, row.peaks_path), frames, minPairs);
    },
  };
}
