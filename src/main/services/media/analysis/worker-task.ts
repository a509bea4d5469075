import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { errorCodes, StudioError } from '../../../../shared/errors';
import { fileSystemError } from '../../files/atomic';
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
  const worker = startWorker();
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

/**
 * The worker's script: the TypeScript source, loaded through tsx's loader (CLI, browser host,
 * tests), or the file electron-vite emits beside the main bundle (electron.vite.config.ts).
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./analysis-worker.js', import.meta.url));
  const tsxDir = dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  // The ESM build of tsx's API (the package's "tsx/esm/api" import condition).
  const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const script = new URL('./analysis-worker.ts', import.meta.url).href;
  // Loader hooks are per thread: register tsx inside the worker before importing the source.
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script)}); });`,
    { eval: true },
  );
}
