// The shop's sign-in, checked the way GWE would record it: a Visitor Lab companion of this
// suite's own, a run per test (so a test sees only its own visits), and Chromium driven by
// Puppeteer with the extension set to send to that companion, tagged with that run.
import { readFileSync } from 'node:fs';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { findChromium, startCompanion, visitorLabMatchers, type Companion, type Run, type Spec, type VisitorLabMatchers } from 'visitor-lab/testing';
import { startShop } from '../site/shop.mjs';

expect.extend(visitorLabMatchers);
declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Assertion<T> extends VisitorLabMatchers<T> {}
}

// The same spec file `visitor-lab check specs/sign-in.json` reads.
const signIn: Spec = JSON.parse(readFileSync(new URL('../specs/sign-in.json', import.meta.url), 'utf8'));

let companion: Companion;
let shop: { url: string; close(): Promise<void> };
let run: Run;
let browser: Browser;

beforeAll(async () => {
  companion = await startCompanion();
  shop = await startShop();
});
afterAll(async () => {
  await shop?.close();
  await companion?.stop();
});

beforeEach(async ({ task }) => {
  run = await companion.run(task.name);
  browser = await puppeteer.launch({
    // Chromium or Chrome: Puppeteer loads the extension over the DevTools pipe.
    executablePath: findChromium() ?? undefined,
    headless: true,
    pipe: true,
    enableExtensions: [await run.extensionDir()],
    // A test browser has no business calling home; --no-sandbox for containers and CI runners
    // without user namespaces.
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'],
  });
});
afterEach(async () => {
  await browser?.close();
  await run?.stop();
});

it('signing in tells GWE who the visitor is', async () => {
  const page = await browser.newPage();
  await page.goto(`${shop.url}/login`);
  await page.type('#email', 'pat@example.com');
  await page.type('#password', 'secret');
  await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
  expect(await page.$eval('#who', (p) => p.textContent)).toBe('Signed in as pat@example.com');

  // Events arrive a moment after the page ran them: these matchers wait (5 s by default).
  await expect(run).toSatisfySpec(signIn);
  await expect(run).toHaveVisitorState('Authenticated');
});

it('a visitor who only browses stays anonymous', async () => {
  const page = await browser.newPage();
  await page.goto(shop.url);
  await Promise.all([page.waitForNavigation(), page.click('#nav-login')]);
  await expect(run).toHaveEvents(['VisitStarted', { event: 'PageEntered', url: '/login' }, { count: 0, event: 'SignIn' }]);
  await expect(run).toHaveVisitorState('Anonymous');
});
