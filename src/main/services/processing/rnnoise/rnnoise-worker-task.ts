import { type ErrorCode, errorCodes, StudioError } from '../../../../shared/errors';
import { startWorker } from '../../workers/start-worker';
import type { RnnoiseOptions } from './rnnoise-denoiser';

/** What the worker is started with. */
export interface RnnoiseWorkerData {
  strength: number;
}
export type RnnoiseWorkerRequest = { kind: 'process'; samples: Float32Array } | { kind: 'flush' };
export type RnnoiseWorkerMessage =
  | { type: 'samples'; samples: Float32Array }
  | { type: 'failed'; error: { code: string; message: string } };

/** RnnoiseDenoiser's stream, run on its own worker thread. */
export interface RnnoiseWorkerStream {
  /**
   * Denoises a block (48 kHz mono float, any length). The block is copied, so the caller may reuse
   * its buffer at once; several calls may be in flight and are answered in order.
   */
  process(block: Float32Array): Promise<Float32Array>;
  /** Returns the rest of the stream (total output length = total input length); the worker exits. */
  flush(): Promise<Float32Array>;
  /** Stops the worker; calls in flight reject with 'cancelled'. */
  cancel(): void;
}

/** Starts a worker thread with one RNNoise denoiser on it. Finish with flush() or cancel(). */
export function openRnnoiseWorker(options: RnnoiseOptions): RnnoiseWorkerStream {
  const worker = startWorker('rnnoise-worker', import.meta.url, {
    strength: options.strength,
  } satisfies RnnoiseWorkerData);
  const pending: { resolve: (samples: Float32Array) => void; reject: (e: StudioError) => void }[] =
    [];
  let failure: StudioError | undefined;
  const failAll = (error: StudioError) => {
    failure ??= error;
    for (const call of pending.splice(0)) call.reject(failure);
  };
  worker.on('message', (message: RnnoiseWorkerMessage) => {
    if (message.type === 'samples') pending.shift()?.resolve(message.samples);
    else {
      const { code, message: text } = message.error;
      const known = (errorCodes as readonly string[]).includes(code);
      failAll(new StudioError(known ? (code as ErrorCode) : 'internal', text));
    }
  });
  worker.once('error', (error) =>
    failAll(new StudioError('internal', `RNNoise: ${error.message}`)),
  );
  worker.once('exit', () => failAll(new StudioError('cancelled', 'RNNoise worker stopped')));
  const call = (request: RnnoiseWorkerRequest, transfer: ArrayBuffer[] = []) =>
    new Promise<Float32Array>((resolve, reject) => {
      if (failure) return reject(failure);
      pending.push({ resolve, reject });
      worker.postMessage(request satisfies RnnoiseWorkerRequest, transfer);
    });
  return {
    process: (block) => {
      // A copy of just this block: a view into a bigger (reused) buffer would clone all of it.
      const samples = block.slice();
      return call({ kind: 'process', samples }, [samples.buffer]);
    },
    flush: () => call({ kind: 'flush' }),
    cancel: () => void worker.terminate(),
  };
}

/** Ten seconds per message: small enough to cancel promptly, big enough that messaging is free. */
const BLOCK = 480_000;

/** Denoises a whole signal (48 kHz mono float) on a worker thread; same length, time-aligned. */
export async function runRnnoiseInWorker(
  samples: Float32Array,
  options: RnnoiseOptions & { signal?: AbortSignal },
): Promise<Float32Array> {
  if (options.signal?.aborted) throw new StudioError('cancelled', 'Noise reduction cancelled');
  const stream = openRnnoiseWorker(options);
  const cancel = () => stream.cancel();
  options.signal?.addEventListener('abort', cancel, { once: true });
  try {
    const out = new Float32Array(samples.length);
    let at = 0;
    for (let from = 0; from < samples.length; from += BLOCK) {
      const part = await stream.process(samples.subarray(from, from + BLOCK));
      out.set(part, at);
      at += part.length;
    }
    out.set(await stream.flush(), at);
    return out;
  } catch (error) {
    stream.cancel();
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', cancel);
  }
}
