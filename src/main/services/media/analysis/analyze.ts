import { basename } from 'node:path';
import { runFfmpeg } from '../../ffmpeg/run';
import { stopTogether } from '../../jobs/stop-together';
import type { Analysis, StreamInput } from './analysis-types';
import { analyzeWavInParallel } from './parallel-wav';
import { roundDb, toDb } from './true-peak-meter';
import { readWavLayout, type WavLayout } from './wav-layout';
import { runInWorker } from './worker-task';

export type { Analysis } from './analysis-types';

export interface AnalysisInput extends StreamInput {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/**
 * Measures a file once: EBU R128 integrated loudness and loudness range, true peak, sample peak
 * and the multi-resolution waveform peaks, on worker threads so the main thread stays free.
 */
export async function analyzeMedia(input: AnalysisInput): Promise<Analysis> {
  const layout =
    input.container === 'wav' ? await readWavLayout(input.path).catch(() => null) : null;
  if (layout && layout.frames > 0 && layout.sampleRate % 10 === 0) return analyzeWav(input, layout);
  // Anything else: one ffmpeg decode to float PCM, measured as it streams, in one worker (ffmpeg
  // decodes on the other core).
  const { signal, onProgress, ...streamInput } = input;
  return runInWorker<Analysis>(
    { kind: 'stream', input: streamInput },
    { what: `Measuring ${basename(input.path)}`, path: input.path, signal, onProgress },
  );
}

/**
 * PCM WAV (what recorders write): measured straight from the file on all cores; ffmpeg runs only
 * to write a working copy when one is needed.
 */
async function analyzeWav(input: AnalysisInput, layout: WavLayout): Promise<Analysis> {
  const both = stopTogether(input.signal);
  let firstFailure: { error: unknown } | undefined;
  const failed = (error: unknown): never => {
    firstFailure ??= { error };
    both.stop();
    throw error;
  };
  const working = input.workingCopyPath
    ? runFfmpeg({
        what: `Making a 48 kHz working copy of ${basename(input.path)}`,
        args: [
          ...['-nostdin', '-hide_banner', '-v', 'error', '-i', input.path, '-map', '0:a:0'],
          ...['-ar', '48000', '-c:a', 'flac', '-compression_level', '0', '-f', 'flac', '-y'],
          input.workingCopyPath,
        ],
        signal: both.signal,
      })
    : Promise.resolve();
  // Both sides stop when either fails, and both have stopped before we return or throw.
  const [measuredResult, workingResult] = await Promise.allSettled([
    analyzeWavInParallel(input.path, layout, {
      signal: both.signal,
      onProgress: input.onProgress,
      what: `Measuring ${basename(input.path)}`,
    }).catch(failed),
    working.catch(failed),
  ]);
  if (firstFailure) throw firstFailure.error;
  if (measuredResult.status === 'rejected') throw measuredResult.reason;
  if (workingResult.status === 'rejected') throw workingResult.reason;
  const measured = measuredResult.value;
  return {
    frames: measured.frames,
    loudness: {
      integratedLufs: roundDb(measured.integratedLufs),
      lra: roundDb(measured.lra) ?? 0,
      truePeakDbtp: roundDb(toDb(measured.truePeak)),
      samplePeakDbfs: roundDb(toDb(measured.samplePeak)),
    },
    peaks: measured.peaks,
  };
}
