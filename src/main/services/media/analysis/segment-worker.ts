import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { LoudnessMeter } from './loudness-meter';
import { PeaksBuilder } from './peaks-builder';
import { TruePeakMeter } from './true-peak-meter';
import { decodePcm, type WavLayout } from './wav-layout';

/** One stretch of a PCM WAV for one worker thread: frames [start, end), primed by what precedes. */
export interface SegmentTask {
  path: string;
  layout: WavLayout;
  start: number;
  end: number;
  /** Frames before `start` run through the filters unmeasured (0 for the first segment). */
  primeFrames: number;
}

export interface SegmentResult {
  frames: number;
  subBlocks: { sums: number[]; counts: number[] };
  truePeak: number;
  samplePeak: number;
  finestPeaks: Int16Array;
}

export type SegmentMessage =
  | { type: 'progress'; frames: number }
  | { type: 'done'; result: SegmentResult }
  | { type: 'failed'; message: string; code?: string };

const CHUNK_FRAMES = 1 << 17;

async function measure(
  task: SegmentTask,
  report: (frames: number) => void,
): Promise<SegmentResult> {
  const { layout } = task;
  const frameBytes = layout.channels * layout.bytesPerSample;
  const loudness = new LoudnessMeter(layout.sampleRate, layout.channels);
  const truePeak = new TruePeakMeter(layout.channels);
  const peaks = new PeaksBuilder(layout.sampleRate, layout.channels);
  const bytes = Buffer.allocUnsafeSlow(CHUNK_FRAMES * frameBytes);
  const samples = new Float32Array(CHUNK_FRAMES * layout.channels);
  const handle = await open(task.path, 'r');
  try {
    const read = async (from: number, frames: number): Promise<number> => {
      const { bytesRead } = await handle.read(
        bytes,
        0,
        frames * frameBytes,
        layout.dataOffset + from * frameBytes,
      );
      const whole = Math.floor(bytesRead / frameBytes);
      decodePcm(layout, bytes, whole, samples);
      return whole;
    };
    for (let at = task.start - task.primeFrames; at < task.start; ) {
      const n = await read(at, Math.min(CHUNK_FRAMES, task.start - at));
      if (n === 0) break;
      loudness.prime(samples, n);
      truePeak.prime(samples, n);
      at += n;
    }
    for (let at = task.start; at < task.end; ) {
      const n = await read(at, Math.min(CHUNK_FRAMES, task.end - at));
      if (n === 0) break;
      const chunk = samples.subarray(0, n * layout.channels);
      loudness.push(chunk, n);
      truePeak.push(chunk, n);
      peaks.push(chunk, n);
      at += n;
      report(at - task.start);
    }
  } finally {
    await handle.close();
  }
  const { pairs, frames } = peaks.finishFinest();
  return {
    frames,
    subBlocks: loudness.subBlocks(),
    truePeak: truePeak.linearPeak,
    samplePeak: peaks.samplePeak,
    finestPeaks: pairs,
  };
}

parentPort?.once('message', (task: SegmentTask) => {
  const port = parentPort!;
  measure(task, (frames) => port.postMessage({ type: 'progress', frames } satisfies SegmentMessage))
    .then((result) =>
      port.postMessage({ type: 'done', result } satisfies SegmentMessage, [
        result.finestPeaks.buffer as ArrayBuffer,
      ]),
    )
    .catch((error: NodeJS.ErrnoException) =>
      port.postMessage({
        type: 'failed',
        message: error.message,
        code: error.code,
      } satisfies SegmentMessage),
    );
});
