import { mediaPaths } from '../../../shared/contract/transport';
import { decodePeaksLevel, PEAK_TILE_PAIRS, PEAK_TILE_SPPS } from '../../../shared/peaks';

/**
 * Waveform tiles for the timeline: fixed runs of min/max pairs at one of the resolutions the Node
 * side serves (from a sample per pair to 65536), fetched as they come into view and kept in a
 * least-recently-used cache with a byte cap, so a three-hour episode never sits whole in memory
 * and the renderer never decodes audio.
 */

export interface Tile {
  /** Interleaved min,max in -32768..32767; shorter than a full tile at the end of the asset. */
  data: Int16Array;
  samplesPerPair: number;
}

const CACHE_BYTES = 48 * 1024 * 1024;
const ready = new Map<string, Tile>();
const loading = new Map<string, Promise<void>>();
const failed = new Set<string>();
let cachedBytes = 0;
const listeners = new Set<() => void>();

/** Called whenever a tile arrives, so the timeline can repaint. */
export function onTileLoaded(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The resolution to draw at: the coarsest served one with at least one pair per pixel. */
export function tileResolution(samplesPerPixel: number): number {
  let chosen = PEAK_TILE_SPPS[0]!;
  for (const spp of PEAK_TILE_SPPS) if (spp <= samplesPerPixel) chosen = spp;
  return chosen;
}

function key(assetId: string, spp: number, index: number): string {
  return `${assetId}:${spp}:${index}`;
}

/** The tile if it is here (marked as recently used); otherwise starts fetching it. */
export function tileFor(assetId: string, spp: number, index: number): Tile | null {
  const k = key(assetId, spp, index);
  const tile = ready.get(k);
  if (tile) {
    ready.delete(k);
    ready.set(k, tile);
    return tile;
  }
  if (!loading.has(k) && !failed.has(k)) loading.set(k, fetchTile(assetId, spp, index, k));
  return null;
}

/** A tile already here, without fetching anything: coarser tiles stand in while finer ones load. */
export function cachedTile(assetId: string, spp: number, index: number): Tile | null {
  return ready.get(key(assetId, spp, index)) ?? null;
}

async function fetchTile(assetId: string, spp: number, index: number, k: string): Promise<void> {
  try {
    const response = await fetch(
      mediaPaths.peakTile(assetId, spp, index * PEAK_TILE_PAIRS, PEAK_TILE_PAIRS),
    );
    if (!response.ok) throw new Error(`peaks ${response.status}`);
    const level = decodePeaksLevel(await response.arrayBuffer());
    ready.set(k, { data: level.data, samplesPerPair: spp });
    cachedBytes += level.data.byteLength;
    while (cachedBytes > CACHE_BYTES) {
      const oldest = ready.keys().next();
      if (oldest.done) break;
      cachedBytes -= ready.get(oldest.value)!.data.byteLength;
      ready.delete(oldest.value);
    }
  } catch {
    // An offline asset: its clips are drawn as offline instead; tried again after a relink.
    failed.add(k);
  } finally {
    loading.delete(k);
    for (const listener of listeners) listener();
  }
}

/** Forgets failures of an asset (after a relink) so its tiles are fetched again. */
export function retryAsset(assetId: string): void {
  for (const k of failed) if (k.startsWith(`${assetId}:`)) failed.delete(k);
}

/** Tiles being fetched now (the benchmark waits for none). */
export function tilesLoading(): number {
  return loading.size;
}

/**
 * The min and max over source samples [from, to) from tiles at `spp`, or null when a tile is not
 * here yet (it is then requested). Values are in -1..1.
 */
export function peakRange(
  assetId: string,
  spp: number,
  from: number,
  to: number,
  fetchMissing: boolean,
): { min: number; max: number } | null {
  const firstPair = Math.floor(from / spp);
  const lastPair = Math.max(firstPair, Math.ceil(to / spp) - 1);
  let min = 32767;
  let max = -32768;
  for (let pair = firstPair; pair <= lastPair; ) {
    const index = Math.floor(pair / PEAK_TILE_PAIRS);
    const tile = fetchMissing ? tileFor(assetId, spp, index) : cachedTile(assetId, spp, index);
    if (!tile) return null;
    const base = index * PEAK_TILE_PAIRS;
    const end = Math.min(lastPair, base + PEAK_TILE_PAIRS - 1);
    const data = tile.data;
    for (let p = pair; p <= end; p++) {
      const i = (p - base) * 2;
      if (i + 1 >= data.length) break;
      if (data[i]! < min) min = data[i]!;
      if (data[i + 1]! > max) max = data[i + 1]!;
    }
    pair = end + 1;
  }
  if (min > max) return { min: 0, max: 0 };
  return { min: min / 32768, max: max / 32768 };
}
