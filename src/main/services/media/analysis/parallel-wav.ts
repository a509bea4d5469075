import { availableParallelism } from 'node:os';
import { PEAKS_LEVELS, type PeaksLevel } from '../../../../shared/peaks';
import { stopTogether } from '../../jobs/stop-together';
import type { SegmentResult } from './analysis-types';
import { LoudnessMeter } from './loudness-meter';
import { peaksLevels } from './peaks-builder';
import type { WavLayout } from './wav-layout';
import { runInWorker } from './worker-task';

export interface ParallelResult {
  frames: number;
  integratedLufs: number | null;
  lra: number;
  truePeak: number;
  samplePeak: number;
  peaks: PeaksLevel[];
}

/** Long enough that the K-weighting filters forget their zero start (their slowest pole: ~5 ms). */
const PRIME_SECONDS = 0.5;
/** Below this, one worker: starting a second costs more than it saves. */
const MIN_SEGMENT_SECONDS = 60;

/**
 * Measures a PCM WAV on every core: each worker thread reads and measures its own stretch of the
 * file, and the stretches join exactly (sub-blocks and peak pairs are aligned at the joins; the
 * filters and the interpolator are primed with the samples before each join). The main thread
 * only waits, which keeps Electron's UI responsive.
 */
export async function analyzeWavInParallel(
  path: string,
  layout: WavLayout,
  options: {
    signal?: AbortSignal;
    onProgress?: (fraction: number) => void;
    what: string;
    /** False when the waveform peaks are not wanted (they are then empty). */
    waveform?: boolean;
  },
): Promise<ParallelResult> {
  const { sampleRate, frames } = layout;
  const subBlock = sampleRate / 10;
  const unit = lcm(PEAKS_LEVELS[0], subBlock);
  const count = Math.max(
    1,
    Math.min(availableParallelism(), 4, Math.floor(frames / (MIN_SEGMENT_SECONDS * sampleRate))),
  );
  const bounds = [0];
  for (let i = 1; i < count; i++) bounds.push(Math.round((frames * i) / count / unit) * unit);
  bounds.push(frames);

  const done = new Array<number>(count).fill(0);
  const report = () => options.onProgress?.(done.reduce((a, b) => a + b, 0) / Math.max(1, frames));
  // When one segment fails, the others stop too.
  const all = stopTogether(options.signal);
  const results = await Promise.all(
    bounds.slice(0, -1).map((start, i) =>
      runInWorker<SegmentResult>(
        {
          kind: 'segment',
          task: {
            path,
            layout,
            start,
            end: bounds[i + 1]!,
            primeFrames: Math.min(start, Math.round(PRIME_SECONDS * sampleRate)),
            waveform: options.waveform,
          },
        },
        {
          what: options.what,
          path,
          signal: all.signal,
          onProgress: (n) => {
            done[i] = n;
            report();
          },
        },
      ).catch((error: unknown) => {
        all.stop();
        throw error;
      }),
    ),
  );
  return joinSegments(results, layout);
}

function joinSegments(results: SegmentResult[], layout: WavLayout): ParallelResult {
  const loudness = new LoudnessMeter(layout.sampleRate, layout.channels);
  let pairCount = 0;
  for (const r of results) {
    loudness.appendSubBlocks(r.subBlocks);
    pairCount += r.finestPeaks.length;
  }
  const finest = new Int16Array(pairCount);
  let offset = 0;
  for (const r of results) {
    finest.set(r.finestPeaks, offset);
    offset += r.finestPeaks.length;
  }
  const frames = results.reduce((a, r) => a + r.frames, 0);
  const measured = loudness.result();
  return {
    frames,
    integratedLufs: measured.integratedLufs,
    lra: measured.lra,
    truePeak: Math.max(...results.map((r) => r.truePeak)),
    samplePeak: Math.max(...results.map((r) => r.samplePeak)),
    peaks: peaksLevels(finest, frames, layout.sampleRate),
  };
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}
