import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread by name. Built (Electron), every worker is a file electron-vite emits
 * beside the main bundle (electron.vite.config.ts lists them); from source (CLI, browser host,
 * tests), the TypeScript file beside the caller is loaded through tsx's loader.
 */
export function startWorker(name: string, callerUrl: string, workerData?: unknown): Worker {
  if (!callerUrl.endsWith('.ts'))
    return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const tsxDir = dirname(createRequire(callerUrl).resolve('tsx/package.json'));
  // The ESM build of tsx's API (the package's "tsx/esm/api" import condition).
  const tsx = pathToFileURL(join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const script = new URL(`./${name}.ts`, callerUrl).href;
  // Loader hooks are per thread: register tsx inside the worker before importing the source.
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(script)}); });`,
    { eval: true, workerData },
  );
}
