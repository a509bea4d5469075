import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Audio tests run ffmpeg on both cores already; two files at a time keeps the machine responsive.
    maxWorkers: 2,
  },
});
