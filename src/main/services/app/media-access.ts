import { join } from 'node:path';
import { PCM_RANGE_MAX_FRAMES } from '../../../shared/contract/transport';
import { StudioError } from '../../../shared/errors';
import {
  encodePeaksLevel,
  isPeakTileSpp,
  PEAK_TILE_MAX_PAIRS,
  PEAK_TILE_SPPS,
  PEAKS_LEVELS,
} from '../../../shared/peaks';
import { MODEL_RATE } from '../../../shared/time';
import { getAssetRow } from '../library/assets';
import type { Db } from '../library/database';
import type { AssetRow } from '../library/rows';
import { playbackPath } from '../media/asset-files';
import { computePeakTile } from '../media/peak-tiles';
import { isUnreadablePeaks, readPeaksLevel, readPeaksTile } from '../media/peaks-file';
import { pcmBytes, readPcmRange } from '../media/read-pcm-range';
import type { PeaksRedraw } from '../media/rebuild-peaks';
import { type RangeResponse, serveFileRange } from '../media/serve-range';

/** A PCM route's answer: the body is f32le interleaved at 48 kHz. */
export interface PcmResponse {
  channels: number;
  frames: number;
  body: Buffer;
}

/** What the media protocol (Electron) and the media routes (browser host) both serve. */
export interface MediaAccess {
  audio(assetId: string, range: string | null): Promise<RangeResponse>;
  /** The coarsest stored level with at least `minPairs` min/max pairs (clamped to a sane range). */
  peaks(assetId: string, minPairs: number): Promise<Buffer>;
  /**
   * One encoded level block holding pairs [from, from + count) at `spp` samples per pair, in the
   * source's own samples (as the stored levels). Invalid numbers: StudioError 'invalid_input'.
   */
  peakTile(assetId: string, spp: number, from: number, count: number): Promise<Buffer>;
  /** Frames [from, from + frames) of the played file at 48 kHz, mono or stereo. */
  pcm(assetId: string, from: number, frames: number): Promise<PcmResponse>;
}

/**
 * A whole-number query parameter as the access methods take it: anything but plain digits
 * (missing, "", "-1", "1.5", "1e3") becomes NaN, which they refuse.
 */
export function wholeNumberParam(value: string | null | undefined): number {
  return value != null && /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
}

export function createMediaAccess(db: Db, dataDir: string, peaks: PeaksRedraw): MediaAccess {
  /**
   * `read` on the asset's stored peaks file. One that is gone or damaged (deleted or changed
   * outside the app) is drawn again from the audio and read once more; if the audio cannot be
   * read either, that error (naming the file) is the answer.
   */
  async function withStoredPeaks<T>(assetId: string, read: (path: string) => Promise<T>) {
    const row = getAssetRow(db, assetId);
    if (row.peaks_path) {
      try {
        return await read(join(dataDir, row.peaks_path));
      } catch (error) {
        if (!isUnreadablePeaks(error)) throw error;
      }
    }
    await peaks.redraw(assetId);
    const path = getAssetRow(db, assetId).peaks_path;
    if (!path) throw new StudioError('not_found', `No waveform for ${row.original_name}`);
    return read(join(dataDir, path));
  }

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
      return withStoredPeaks(assetId, (path) => readPeaksLevel(path, sourceFrames(row), minPairs));
    },
    async peakTile(assetId, spp, from, count) {
      if (!isPeakTileSpp(spp)) {
        throw new StudioError(
          'invalid_input',
          `spp (samples per pair) must be one of ${PEAK_TILE_SPPS.join(', ')}${Number.isNaN(spp) ? '' : `, not ${spp}`}`,
        );
      }
      checkWhole('from', from, 0, Number.MAX_SAFE_INTEGER);
      checkWhole('count', count, 1, PEAK_TILE_MAX_PAIRS);
      const row = getAssetRow(db, assetId);
      if (spp >= PEAKS_LEVELS[0]) {
        const level = await withStoredPeaks(assetId, (path) =>
          readPeaksTile(path, spp, from, count),
        );
        return Buffer.from(encodePeaksLevel(level));
      }
      // The stored levels were measured on the source copy at its own rate: finer tiles are
      // computed from the same samples so every zoom level lines up.
      const level = await computePeakTile(
        {
          path: join(dataDir, row.path),
          sampleRate: row.sample_rate,
          channels: row.channels,
          frames: sourceFrames(row),
        },
        spp,
        from,
        count,
      );
      return Buffer.from(encodePeaksLevel(level));
    },
    async pcm(assetId, from, frames) {
      checkWhole('from', from, 0, Number.MAX_SAFE_INTEGER);
      checkWhole('frames', frames, 1, PCM_RANGE_MAX_FRAMES);
      const row = getAssetRow(db, assetId);
      // The played file is 48 kHz by construction (else a working copy exists).
      const range = await readPcmRange({
        path: playbackPath(dataDir, row),
        sampleRate: MODEL_RATE,
        channels: row.channels,
        from,
        frames,
        stereoAtMost: true,
      });
      return { channels: range.channels, frames: range.frames, body: pcmBytes(range) };
    },
  };
}

/** The asset's length in its source's own samples (duration_samples counts 48 kHz samples). */
function sourceFrames(row: AssetRow): number {
  return Math.round((row.duration_samples * row.sample_rate) / MODEL_RATE);
}

function checkWhole(name: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new StudioError(
      'invalid_input',
      `${name} must be a whole number from ${min} to ${max}${Number.isNaN(value) ? '' : `, not ${value}`}`,
    );
  }
}
