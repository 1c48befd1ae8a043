import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // A Chromium per test file: one at a time is kind to small CI machines.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
