import { PEAKS_LEVELS, type PeaksLevel } from '../../../shared/peaks';
import { PeaksBuilder } from './analysis/peaks-builder';
import { readPcmRange } from './read-pcm-range';

/** The file the stored peaks were measured from, and how long it is in its own samples. */
export interface PeaksSource {
  path: string;
  sampleRate: number;
  channels: number;
  frames: number;
}

/** Frames a tile of pairs [from, from + count) covers: 0 past the end, fewer at it. */
export function tileFrames(totalFrames: number, spp: number, from: number, count: number): number {
  return Math.max(0, Math.min(count * spp, totalFrames - from * spp));
}

/**
 * A tile finer than the stored levels (spp below PEAKS_LEVELS[0]), computed from the audio: the
 * same file, channels and min/max/rounding as the import's analysis, so a tile computed at a stored
 * level's spp would equal that level's pairs.
 */
export async function computePeakTile(
  source: PeaksSource,
  spp: number,
  from: number,
  count: number,
  signal?: AbortSignal,
): Promise<PeaksLevel> {
  if (spp >= PEAKS_LEVELS[0]) throw new Error(`Peak tiles at ${spp} samples per pair are stored`);
  const frames = tileFrames(source.frames, spp, from, count);
  const level = { sampleRate: source.sampleRate, samplesPerPair: spp };
  if (frames === 0) return { ...level, frames: 0, data: new Int16Array(0) };
  const range = await readPcmRange({
    path: source.path,
    sampleRate: source.sampleRate,
    channels: source.channels,
    from: from * spp,
    frames,
    signal,
  });
  const builder = new PeaksBuilder(source.sampleRate, range.channels, spp);
  builder.push(range.samples, range.frames);
  const { pairs } = builder.finishFinest();
  return { ...level, frames: range.frames, data: pairs };
}
