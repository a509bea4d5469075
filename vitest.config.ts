import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // A safety net, not a speed check: on a busy 2-core machine a processing test has taken 60 s.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Audio tests run ffmpeg on both cores already; two files at a time keeps the machine responsive.
    maxWorkers: 2,
  },
});
