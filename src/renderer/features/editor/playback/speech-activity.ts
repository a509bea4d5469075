import { type Interval, SPEECH_LEVEL_SPP, speechActivity } from '../../../../shared/edit/ducking';
import { decodePeaksLevel, PEAK_TILE_MAX_PAIRS, type PeaksLevel } from '../../../../shared/peaks';

/**
 * Speech activity for ducking in the renderer: each speech asset's stored peaks level at
 * SPEECH_LEVEL_SPP (4096 source samples per pair), read in tiles, measured with speechActivity
 * exactly as the render's main-process reader does (src/main/services/render/speech-activity.ts).
 */

/** Pairs [from, from + count) of an asset's stored level at `spp` samples per pair. */
export type ReadPeakTile = (
  assetId: string,
  spp: number,
  from: number,
  count: number,
) => Promise<PeaksLevel>;

/** A ReadPeakTile over the host's peak tile route; pass `mediaPaths.peakTile` (or a full-URL builder). */
export function peakTilesOverHttp(
  peakTileUrl: (assetId: string, spp: number, from: number, count: number) => string,
): ReadPeakTile {
  return async (assetId, spp, from, count) => {
    const response = await fetch(peakTileUrl(assetId, spp, from, count));
    if (!response.ok) {
      throw new Error(`Waveform of asset ${assetId} unavailable (HTTP ${response.status})`);
    }
    return decodePeaksLevel(await response.arrayBuffer());
  };
}

/** One asset's whole level at SPEECH_LEVEL_SPP, tile after tile until one comes back short. */
async function readWholeLevel(assetId: string, readTile: ReadPeakTile): Promise<PeaksLevel> {
  const parts: Int16Array[] = [];
  let pairs = 0;
  let frames = 0;
  let sampleRate = 0;
  for (;;) {
    const tile = await readTile(assetId, SPEECH_LEVEL_SPP, pairs, PEAK_TILE_MAX_PAIRS);
    const count = tile.data.length >> 1;
    sampleRate = tile.sampleRate;
    parts.push(tile.data);
    pairs += count;
    frames += tile.frames;
    if (count < PEAK_TILE_MAX_PAIRS) break;
  }
  const data = new Int16Array(pairs * 2);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.length;
  }
  return { sampleRate, samplesPerPair: SPEECH_LEVEL_SPP, frames, data };
}

/**
 * Where each asset has speech, for createPlaybackEngine's `activity` / engine.setActivity: pass
 * the speech assets of the edit (speechAssetIds(edit), empty when nothing ducks). An asset whose
 * waveform cannot be read is left out (it ducks nothing) and reported to `onError`.
 */
export async function loadSpeechActivity(
  assetIds: Iterable<string>,
  readTile: ReadPeakTile,
  onError?: (assetId: string, error: unknown) => void,
): Promise<Map<string, Interval[]>> {
  const activity = new Map<string, Interval[]>();
  await Promise.all(
    [...new Set(assetIds)].map(async (assetId) => {
      try {
        activity.set(assetId, speechActivity(await readWholeLevel(assetId, readTile)));
      } catch (error) {
        onError?.(assetId, error);
      }
    }),
  );
  return activity;
}
