import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: './tests',
  // Each test starts a Chromium of its own with the extension: one at a time is kind to small CI machines.
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['junit', { outputFile: 'test-results/junit.xml' }]],
});
