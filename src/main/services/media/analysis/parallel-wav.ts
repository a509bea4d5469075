import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { StudioError } from '../../../../shared/errors';
import { PEAKS_LEVELS, type PeaksLevel } from '../../../../shared/peaks';
import { fileSystemError } from '../../files/atomic';
import { LoudnessMeter } from './loudness-meter';
import { peaksLevels } from './peaks-builder';
import type { SegmentMessage, SegmentResult, SegmentTask } from './segment-worker';
import type { WavLayout } from './wav-layout';

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
  options: { signal?: AbortSignal; onProgress?: (fraction: number) => void; what: string },
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
  const workers: Worker[] = [];
  const stop = () => {
    for (const worker of workers) void worker.terminate();
  };
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const results = await Promise.all(
      bounds.slice(0, -1).map((start, i) => {
        const task: SegmentTask = {
          path,
          layout,
          start,
          end: bounds[i + 1]!,
          primeFrames: Math.min(start, Math.round(PRIME_SECONDS * sampleRate)),
        };
        const worker = startWorker();
        workers.push(worker);
        return runSegment(worker, task, options.what, (n) => {
          done[i] = n;
          report();
        });
      }),
    );
    if (options.signal?.aborted) throw new StudioError('cancelled', `${options.what} cancelled`);
    return joinSegments(results, layout);
  } catch (error) {
    if (options.signal?.aborted) throw new StudioError('cancelled', `${options.what} cancelled`);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    stop();
  }
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

function runSegment(
  worker: Worker,
  task: SegmentTask,
  what: string,
  onFrames: (frames: number) => void,
): Promise<SegmentResult> {
  return new Promise((resolve, reject) => {
    worker.on('message', (message: SegmentMessage) => {
      if (message.type === 'progress') onFrames(message.frames);
      else if (message.type === 'done') resolve(message.result);
      else {
        const cause = Object.assign(new Error(message.message), { code: message.code });
        reject(fileSystemError(cause, what, task.path));
      }
    });
    worker.once('error', (error) =>
      reject(new StudioError('internal', `${what}: ${error.message}`)),
    );
    worker.once('exit', () => reject(new StudioError('cancelled', `${what} stopped`)));
    worker.postMessage(task);
  });
}

/**
 * The worker's script: the TypeScript source, loaded through tsx's loader (CLI, browser host,
 * tests), or the file electron-vite emits beside the main bundle (electron.vite.config.ts).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./segment-worker.js', import.meta.url));
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  // The ESM build of tsx's API (the package's "tsx/esm/api" import condition).
  const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const script = new URL('./segment-worker.ts', import.meta.url).href;
  // Loader hooks are per thread: register tsx inside the worker before importing the source.
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script)}); });`,
    { eval: true },
  );
}

function lcm(a: number, b: number): number {
  const gcd = (x: number, y: number): number => (y === 0 ? x : gcd(y, x % y));
  return (a / gcd(a, b)) * b;
}
