import { defineConfig } from 'vitest/config';

/** Integration tests about the embedded store's files (data directory, journal, snapshot, lock). */
const EMBEDDED_ONLY = [
  'test/integration/data-files.test.ts',
  'test/integration/durability.test.ts',
  'test/integration/lock.test.ts',
  'test/integration/storage-failure.test.ts',
  'test/integration/intake-concurrency.test.ts',
  'test/integration/exchange-interrupted.test.ts',
];

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
        // The same suite on the PostgreSQL store (test/helpers/postgres.ts): every companion a
        // test starts in this process gets a fresh database. Left out: what is about the data
        // directory itself (its files, journal, lock, disk failures) or a companion spawned with one.
        test: {
          name: 'integration-postgres',
          include: ['test/integration/**/*.test.ts'],
          exclude: EMBEDDED_ONLY,
          environment: 'node',
          env: { VISITOR_LAB_TEST_STORE: 'postgres' },
          globalSetup: ['test/global-setup-postgres.ts'],
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
