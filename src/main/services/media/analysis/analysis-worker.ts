import { open } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { StudioError } from '../../../../shared/errors';
import type { SegmentResult, SegmentTask, WorkerMessage, WorkerRequest } from './analysis-types';
import { LoudnessMeter } from './loudness-meter';
import { PeaksBuilder } from './peaks-builder';
import { analyzeStream } from './stream-analysis';
import { TruePeakMeter } from './true-peak-meter';
import { decodePcm } from './wav-layout';

// The analysis worker thread: measures a stretch of a PCM WAV, or a whole ffmpeg decode, off the
// main thread (Electron's main process must stay responsive). One task per worker.

const CHUNK_FRAMES = 1 << 17;

async function measureSegment(
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
  let measured = 0;
  try {
    const read = async (from: number, frames: number): Promise<number> => {
      const position = layout.dataOffset + from * frameBytes;
      const { bytesRead } = await handle.read(bytes, 0, frames * frameBytes, position);
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
      if (task.waveform !== false) peaks.push(chunk, n);
      at += n;
      measured += n;
      report(at - task.start);
    }
  } finally {
    await handle.close();
  }
  const { pairs } = peaks.finishFinest();
  return {
    frames: measured,
    subBlocks: loudness.subBlocks(),
    truePeak: truePeak.linearPeak,
    samplePeak: peaks.samplePeak,
    finestPeaks: pairs,
  };
}

const port = parentPort;
if (port) {
  const abort = new AbortController();
  const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) =>
    port.postMessage(message, transfer);
  port.on('message', (request: WorkerRequest) => {
    if (request.kind === 'cancel') {
      abort.abort();
      return;
    }
    const work =
      request.kind === 'segment'
        ? measureSegment(request.task, (frames) => send({ type: 'progress', value: frames }))
        : analyzeStream(request.input, abort.signal, (fraction) =>
            send({ type: 'progress', value: fraction }),
          );
    work
      .then((result) => {
        const transfer =
          'finestPeaks' in result
            ? [result.finestPeaks.buffer as ArrayBuffer]
            : result.peaks.map((level) => level.data.buffer as ArrayBuffer);
        send({ type: 'done', result }, transfer);
        port.close();
      })
      .catch((error: unknown) => {
        const { code, message, details } =
          error instanceof StudioError
            ? error
            : {
                code: (error as NodeJS.ErrnoException).code,
                message: String((error as Error).message),
                details: undefined,
              };
        send({ type: 'failed', error: { code, message, details } });
        port.close();
      });
  });
}
