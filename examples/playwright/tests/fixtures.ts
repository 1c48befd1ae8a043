// The fixtures every test of the shop uses: a Visitor Lab companion and the shop for the worker,
// then, per test, a run (so a test sees only its own visits) and a Chromium with the extension
// set to send to that companion, tagged with that run.
import { test as base, expect as baseExpect, chromium, type BrowserContext } from '@playwright/test';
import { findChromium, startCompanion, visitorLabMatchers, type Companion, type Run } from 'visitor-lab/testing';
import { startShop } from '../site/shop.mjs';

export const expect = baseExpect.extend(visitorLabMatchers);

// A test browser has no business calling home; --no-sandbox for containers and CI runners
// without user namespaces.
const QUIET = ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

export const test = base.extend<{ run: Run; context: BrowserContext }, { companion: Companion; shopUrl: string }>({
  companion: [
    async ({}, use) => {
      const companion = await startCompanion();
      await use(companion);
      await companion.stop();
    },
    { scope: 'worker' },
  ],
  shopUrl: [
    async ({}, use) => {
      const shop = await startShop();
      await use(shop.url);
      await shop.close();
    },
    { scope: 'worker' },
  ],
  run: async ({ companion }, use, testInfo) => {
    const run = await companion.run(testInfo.titlePath.join(' › '));
    await use(run);
    await run.stop();
  },
  // Extensions need a persistent context; '' is a fresh temporary profile.
  context: async ({ run }, use) => {
    const dir = await run.extensionDir();
    const context = await chromium.launchPersistentContext('', {
      // Chromium's new headless mode (its only one since 132) runs extensions.
      headless: true,
      // Chromium (not Google Chrome, which ignores --load-extension): see findChromium().
      executablePath: findChromium() ?? undefined,
      args: [`--disable-extensions-except=${dir}`, `--load-extension=${dir}`, ...QUIET],
    });
    await use(context);
    await context.close();
  },
});
