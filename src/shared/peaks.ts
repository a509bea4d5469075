/**
 * Waveform peaks: min/max pairs of 16-bit values, one pair per `samplesPerPair` frames, across all
 * channels (the min of the channels' mins and the max of their maxes), as BBC audiowaveform stores
 * them. A peaks file holds several levels; one level travels to the renderer as a block:
 *
 *   'STPL' | u16 version | u16 reserved | u32 sampleRate | u32 samplesPerPair | u32 pairCount
 *   | f64 frames | i16 min,max × pairCount            (little-endian, 28-byte header)
 */
export const PEAKS_LEVEL_MAGIC = 0x4c505453; // 'STPL'
export const PEAKS_VERSION = 1;
export const PEAKS_LEVEL_HEADER_BYTES = 28;
/** Samples per pair at each stored level, finest first: about 190 pairs/s down to 0.7 pairs/s. */
export const PEAKS_LEVELS = [256, 1024, 4096, 16384, 65536] as const;

/**
 * Samples per pair a peak tile may have (`mediaPaths.peakTile`): powers of 4 from single samples
 * up. Below PEAKS_LEVELS[0] the main process computes the pairs from the audio on request; from
 * there up a tile is a slice of a stored level.
 */
export type PeakTileSpp = 1 | 4 | 16 | 64 | (typeof PEAKS_LEVELS)[number];
export const PEAK_TILE_SPPS: readonly PeakTileSpp[] = [1, 4, 16, 64, ...PEAKS_LEVELS];
/** Pairs per tile the timeline should ask for: tiles then line up and cache well. */
export const PEAK_TILE_PAIRS = 2048;
/** The most pairs one tile request may ask for. */
export const PEAK_TILE_MAX_PAIRS = 8192;

export function isPeakTileSpp(value: number): value is PeakTileSpp {
  return (PEAK_TILE_SPPS as readonly number[]).includes(value);
}

export interface PeaksLevel {
  sampleRate: number;
  samplesPerPair: number;
  /** Frames of audio the level covers (the last pair may cover fewer). */
  frames: number;
  /** Interleaved min,max pairs in -32768..32767. */
  data: Int16Array;
}

export function encodePeaksLevel(level: PeaksLevel): Uint8Array {
  const pairCount = level.data.length / 2;
  const bytes = new Uint8Array(PEAKS_LEVEL_HEADER_BYTES + level.data.byteLength);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, PEAKS_LEVEL_MAGIC, true);
  view.setUint16(4, PEAKS_VERSION, true);
  view.setUint16(6, 0, true);
  view.setUint32(8, level.sampleRate, true);
  view.setUint32(12, level.samplesPerPair, true);
  view.setUint32(16, pairCount, true);
  view.setFloat64(20, level.frames, true);
  const body = new Uint8Array(level.data.buffer, level.data.byteOffset, level.data.byteLength);
  bytes.set(body, PEAKS_LEVEL_HEADER_BYTES);
  return bytes;
}

export function decodePeaksLevel(buffer: ArrayBuffer | Uint8Array): PeaksLevel {
  const bytes = buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer);
  if (bytes.byteLength < PEAKS_LEVEL_HEADER_BYTES) throw new Error('Peaks data is truncated');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint32(0, true) !== PEAKS_LEVEL_MAGIC) throw new Error('Not a peaks level');
  const version = view.getUint16(4, true);
  if (version !== PEAKS_VERSION) throw new Error(`Unsupported peaks version ${version}`);
  const pairCount = view.getUint32(16, true);
  const expected = PEAKS_LEVEL_HEADER_BYTES + pairCount * 4;
  if (bytes.byteLength < expected) throw new Error('Peaks data is truncated');
  // Copy so the Int16Array is aligned whatever the source buffer's offset.
  const data = new Int16Array(pairCount * 2);
  new Uint8Array(data.buffer).set(bytes.subarray(PEAKS_LEVEL_HEADER_BYTES, expected));
  return {
    sampleRate: view.getUint32(8, true),
    samplesPerPair: view.getUint32(12, true),
    frames: view.getFloat64(20, true),
    data,
  };
}

/** The coarsest stored level that still has at least `minPairs` pairs (else the finest). */
export function chooseLevel(frames: number, minPairs: number): number {
  for (let i = PEAKS_LEVELS.length - 1; i >= 0; i--) {
    const spp = PEAKS_LEVELS[i]!;
    if (Math.ceil(frames / spp) >= minPairs) return i;
  }
  return 0;
}

/** Interleaved min,max as floats in -1..1: the shape wavesurfer.js draws from. */
export function peaksToFloats(level: PeaksLevel): Float32Array {
  const out = new Float32Array(level.data.length);
  for (let i = 0; i < level.data.length; i++) out[i] = level.data[i]! / 32768;
  return out;
}
