import { errorCodes, StudioError } from '../../../../shared/errors';
import { fileSystemError } from '../../files/atomic';
import { startWorker } from '../../workers/start-worker';
import type { WorkerMessage, WorkerRequest, WorkerTask } from './analysis-types';

/**
 * Runs one task on a fresh analysis worker thread. Cancelling asks the worker to stop (so it can
 * kill its ffmpeg), then terminates it.
 */
export function runInWorker<T>(
  task: WorkerTask,
  options: {
    what: string;
    path: string;
    signal?: AbortSignal;
    onProgress?: (value: number) => void;
  },
): Promise<T> {
  if (options.signal?.aborted)
    return Promise.reject(new StudioError('cancelled', `${options.what} cancelled`));
  const worker = startWorker('analysis-worker', import.meta.url);
  return new Promise<T>((resolve, reject) => {
    // The answer comes from the worker ('failed', cancelled) or from its exit: either way it has
    // stopped writing by then. A stream task gets a moment to kill its ffmpeg first.
    const cancel = () => {
      worker.postMessage({ kind: 'cancel' } satisfies WorkerRequest);
      setTimeout(() => void worker.terminate(), task.kind === 'stream' ? 2000 : 0).unref();
    };
    options.signal?.addEventListener('abort', cancel, { once: true });
    const settle = () => options.signal?.removeEventListener('abort', cancel);
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') options.onProgress?.(message.value);
      else if (message.type === 'done') {
        settle();
        resolve(message.result as T);
      } else {
        settle();
        const { code, message: text, details } = message.error;
        reject(
          code && (errorCodes as readonly string[]).includes(code)
            ? new StudioError(code as StudioError['code'], text, details)
            : fileSystemError(Object.assign(new Error(text), { code }), options.what, options.path),
        );
      }
    });
    worker.once('error', (error) => {
      settle();
      reject(new StudioError('internal', `${options.what}: ${error.message}`));
    });
    worker.once('exit', () => {
      settle();
      reject(new StudioError('cancelled', `${options.what} stopped`));
    });
    worker.postMessage(task satisfies WorkerRequest);
  });
}
