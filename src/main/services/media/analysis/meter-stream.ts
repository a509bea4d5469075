import type { Worker } from 'node:worker_threads';
import { StudioError } from '../../../../shared/errors';
import type { Levels } from '../../../../shared/processing';
import { startWorker } from '../../workers/start-worker';
import { LoudnessMeter } from './loudness-meter';
import { roundDb, toDb } from './true-peak-meter';

export interface MeterWorkerData {
  sampleRate: number;
  channels: number;
  truePeak: boolean;
}
export type MeterRequest =
  | { kind: 'prime'; samples: Float32Array }
  | { kind: 'push'; samples: Float32Array }
  | { kind: 'finish' };
export interface MeterResult {
  frames: number;
  subBlocks: { sums: number[]; counts: number[] };
  truePeak: number | null;
  samplePeak: number;
}

/** Blocks in flight per meter: enough to keep the worker busy, few enough to bound memory. */
const IN_FLIGHT = 4;

/**
 * Measures audio as it streams, on a worker thread: the caller pushes blocks in order (copied, so
 * it may reuse its buffer) and gets sub-block energies and peaks at the end. Meters of
 * consecutive stretches join exactly (joinMeters) when each stretch starts on a 100 ms boundary
 * and is primed with the audio just before it.
 */
export class MeterStream {
  private readonly worker: Worker;
  private waiting: Array<() => void> = [];
  private inFlight = 0;
  private failure: StudioError | null = null;
  private readonly result: Promise<MeterResult>;

  constructor(sampleRate: number, channels: number, truePeak: boolean) {
    this.worker = startWorker('meter-worker', import.meta.url, {
      sampleRate,
      channels,
      truePeak,
    } satisfies MeterWorkerData);
    this.result = new Promise<MeterResult>((resolve, reject) => {
      this.worker.on('message', (message: 'ack' | MeterResult) => {
        if (message === 'ack') {
          this.inFlight--;
          this.waiting.shift()?.();
        } else resolve(message);
      });
      const fail = (error: StudioError) => {
        this.failure ??= error;
        for (const wake of this.waiting.splice(0)) wake();
        reject(this.failure);
      };
      this.worker.once('error', (error) =>
        fail(new StudioError('internal', `Meter: ${error.message}`)),
      );
      this.worker.once('exit', () => fail(new StudioError('cancelled', 'Meter stopped')));
    });
    // Settled by finish() or cancel(); a failure in between surfaces at the next call.
    this.result.catch(() => {});
  }

  prime(samples: Float32Array): Promise<void> {
    return this.send('prime', samples);
  }

  push(samples: Float32Array): Promise<void> {
    return this.send('push', samples);
  }

  finish(): Promise<MeterResult> {
    if (this.failure) return Promise.reject(this.failure);
    this.worker.postMessage({ kind: 'finish' } satisfies MeterRequest);
    return this.result;
  }

  cancel(): void {
    void this.worker.terminate();
  }

  private async send(kind: 'prime' | 'push', samples: Float32Array): Promise<void> {
    while (this.inFlight >= IN_FLIGHT && !this.failure)
      await new Promise<void>((wake) => this.waiting.push(wake));
    if (this.failure) throw this.failure;
    const copy = samples.slice();
    this.inFlight++;
    this.worker.postMessage({ kind, samples: copy } satisfies MeterRequest, [copy.buffer]);
  }
}

/** Joins the meters of consecutive stretches, in order, into the levels of the whole. */
export function joinMeters(results: MeterResult[], sampleRate: number, channels: number): Levels {
  const loudness = new LoudnessMeter(sampleRate, channels);
  for (const r of results) loudness.appendSubBlocks(r.subBlocks);
  const measured = loudness.result();
  const peaks = results.map((r) => r.truePeak ?? r.samplePeak);
  return {
    integratedLufs: roundDb(measured.integratedLufs),
    lra: roundDb(measured.lra) ?? 0,
    truePeakDbtp: roundDb(toDb(Math.max(0, ...peaks))),
  };
}
