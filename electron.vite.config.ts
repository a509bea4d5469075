import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// Three bundles: the main process (ESM, dependencies stay in node_modules), the sandboxed
// preload (CommonJS, self-contained, because sandboxed preloads cannot load ESM or node_modules)
// and the renderer (React). The browser host serves the same renderer build.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // Loaded with new Worker() from beside index.js (media/analysis/worker-task.ts).
          'analysis-worker': resolve('src/main/services/media/analysis/analysis-worker.ts'),
          // Loaded with new Worker() from beside index.js (processing/rnnoise/rnnoise-worker-task.ts).
          // Loaded with new Worker() from beside index.js (media/analysis/meter-stream.ts).
          'meter-worker': resolve('src/main/services/media/analysis/meter-worker.ts'),
          'rnnoise-worker': resolve('src/main/services/processing/rnnoise/rnnoise-worker.ts'),
        },
        output: { entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      outDir: 'out/renderer',
      // electron-vite leaves every bundle unminified; the renderer's 1.1 MB is parsed at each
      // start before anything shows, so it is minified (about a third of the size).
      minify: true,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
