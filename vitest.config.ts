import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Components (ui/, the popup, the web app) are Preact: their tests render them.
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], environment: 'node', sequence: { groupOrder: 0 } } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // visitor-lab/testing (testing/): real companions spawned from the bundle, as a suite would.
        test: {
          name: 'testing',
          include: ['test/testing/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/global-setup.ts'],
          sequence: { groupOrder: 0 },
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          // One chromium at a time, after the other projects: this machine (and CI's) has 2
          // cores, and the SIGKILL and timing-sensitive integration tests should not share them.
          fileParallelism: false,
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        // examples/ installed from the packed package into projects of their own and run there
        // (test/examples): last, alone, as they start Chromium too.
        test: { name: 'examples', include: ['test/examples/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 2 }, testTimeout: 180_000, hookTimeout: 300_000 },
      },
    ],
  },
});
