// visitor-lab/testing as a suite uses it: a companion of its own, a run, the extension copied by
// run.extensionDir() for a site on an ordinary-looking host (shop.test), loaded into chromium by
// Puppeteer, a sign-in on the Lab Shop, and the matchers on the run. The run is not the active
// one: the visit is in it only because the extension sent X-Lab-Run from its preset.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESET_FILE, startCompanion, visitorLabMatchers, type Companion, type Run, type VisitorLabMatchers } from '../../testing/index';
import { EXTENSION_DIR, launchSuiteBrowser } from '../helpers/browser';
import { startShop, type Shop } from './site/shop';

expect.extend(visitorLabMatchers);
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends VisitorLabMatchers<T> {}
}

const EMAIL = 'lee@shop.test';
let companion: Companion;
let shop: Shop;
let run: Run;
let dir: string;
let browser: Browser;
let suiteBrowser: Awaited<ReturnType<typeof launchSuiteBrowser>>;

beforeAll(async () => {
  companion = await startCompanion();
  shop = await startShop();
  run = await companion.run('library e2e, chromium');
  dir = await run.extensionDir({ sites: ['shop.test'] });
  suiteBrowser = await launchSuiteBrowser(dir, ['--host-resolver-rules=MAP shop.test 127.0.0.1']);
  browser = suiteBrowser.browser;
});
afterAll(async () => {
  await suiteBrowser?.close();
  await shop?.close();
  await companion?.stop();
});

describe('visitor-lab/testing with Puppeteer and chromium', () => {
  it('extensionDir() holds the built extension, a preset for this companion and run, and the site\'s permission', () => {
    const preset = JSON.parse(readFileSync(path.join(dir, PRESET_FILE), 'utf8'));
    expect(preset).toEqual({ companionUrl: companion.url, sites: ['shop.test'], runId: run.runId });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.host_permissions).toContain('*://shop.test/*');
    expect(manifest.background.service_worker).toBeTruthy();
  });

  it('with auth, the preset carries the credentials; stop() removes the copies', async () => {
    const guarded = await startCompanion({ auth: 'suite:pa:ss' });
    const copy = await guarded.extensionDir();
    const preset = JSON.parse(readFileSync(path.join(copy, PRESET_FILE), 'utf8'));
    expect(preset).toEqual({ companionUrl: guarded.url, sites: [], companionUser: 'suite', companionPassword: 'pa:ss' });
    // No sites: the manifest is the build's own.
    expect(readFileSync(path.join(copy, 'manifest.json'), 'utf8')).toBe(readFileSync(path.join(EXTENSION_DIR, 'manifest.json'), 'utf8'));
    await guarded.stop();
    expect(existsSync(copy)).toBe(false);
  });

  it('a sign-in on the shop shows in the run: the events in order, then Authenticated', async () => {
    const page = await browser.newPage();
    const origin = shop.origin.replace('127.0.0.1', 'shop.test');
    await page.goto(`${origin}/login`, { waitUntil: 'load' });
    await page.type('#email', EMAIL);
    await page.type('#password', 'secret');
    await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    await expect(run).toHaveEvents(['PageEntered', { event: 'SignIn', data: { email: EMAIL }, url: 'shop.test' }, { state: 'Authenticated' }], { timeout: 20_000 });
    await expect(run).toHaveVisitorState('Authenticated');
    const record = await run.get();
    expect(record.visitIds).toHaveLength(1);
    expect(record.counts.events).toBeGreaterThanOrEqual(3);
    // The companion as a whole has the same visit: nothing else posted to it.
    await expect(companion).toHaveVisitorState('Authenticated', { timeout: 0 });
  });

  it('a failing expectation on the run says what the visit has instead', async () => {
    const error = await expect(run)
      .toHaveEvents(['SignIn', 'SignOut'], { timeout: 300 })
      .then(() => null, (e: Error) => e);
    expect(error?.message).toContain(`expect(run ${run.runId} (library e2e, chromium)).toHaveEvents(...)`);
    expect(error?.message).toMatch(/SignIn\s+http:\/\/shop\.test:\d+\/.*→ Authenticated/);
  });
});
