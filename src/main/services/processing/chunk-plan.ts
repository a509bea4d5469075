import { availableParallelism } from 'node:os';

/** A stretch of the timeline one process renders, with extra audio around it to settle filters. */
export interface Chunk {
  /** Frames this chunk delivers: [start, end). */
  start: number;
  end: number;
  /** Frames actually read: [readStart, readEnd), including pre-roll and post-roll. */
  readStart: number;
  readEnd: number;
}

/**
 * Chunks join on a grid of 3 s, a whole number of: 100 ms loudness sub-blocks (so meters of the
 * chunks join exactly), 1152-sample MP3 frames (so encoded chunks can be joined too), and the
 * leveler's 250 ms frames and the denoiser's 25 ms hops (so each chunk's filters cut the audio
 * into the same frames as one pass over the whole file would).
 */
export const CHUNK_GRID = 144000;
/** Below this, one process: starting a second costs more than it saves. */
const MIN_CHUNK_FRAMES = 30 * 48000;

/**
 * Splits `frames` into one chunk per core (at most 4), each reading `rollFrames` before and after
 * its own stretch so stateful filters (leveler windows, denoiser history, limiter release) are
 * settled by the time they reach it.
 */
export function planChunks(
  frames: number,
  rollFrames: number,
  maxChunks = availableParallelism(),
): Chunk[] {
  const count = Math.max(1, Math.min(maxChunks, 4, Math.floor(frames / MIN_CHUNK_FRAMES)));
  const bounds = [0];
  for (let i = 1; i < count; i++)
    bounds.push(Math.round((frames * i) / count / CHUNK_GRID) * CHUNK_GRID);
  bounds.push(frames);
  const roll = Math.ceil(rollFrames / CHUNK_GRID) * CHUNK_GRID;
  return bounds.slice(0, -1).map((start, i) => {
    const end = bounds[i + 1]!;
    return {
      start,
      end,
      readStart: Math.max(0, start - roll),
      readEnd: Math.min(frames, end + roll),
    };
  });
}
