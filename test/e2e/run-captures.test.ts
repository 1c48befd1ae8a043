// The capture reconciliation with the extension (issue 11): a suite's run set in the browser
// (run.extensionDir()), a page pushes a malformed `_gt` command that the tracker rejects in the
// page (it never reaches intake); the extension's capture report tells the companion, and the
// companion's check of the run fails noRejected naming it, while noUndelivered is known (the
// report names what was captured) and holds once everything is delivered.
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckReport } from '../../protocol/expectations/types';
import { startCompanion, type Companion, type Run } from '../../testing/index';
import { launchSuiteBrowser } from '../helpers/browser';
import { startShop, type Shop } from './site/shop';

let companion: Companion;
let shop: Shop;
let run: Run;
let browser: Browser;
let suiteBrowser: Awaited<ReturnType<typeof launchSuiteBrowser>>;
let page: Page;

beforeAll(async () => {
  companion = await startCompanion();
  shop = await startShop();
  run = await companion.run('capture reconciliation, chromium');
  const dir = await run.extensionDir();
  suiteBrowser = await launchSuiteBrowser(dir);
  browser = suiteBrowser.browser;
});
afterAll(async () => {
  await suiteBrowser?.close();
  await shop?.close();
  await companion?.stop();
});

const result = (report: CheckReport, place: string) => report.results.find((r) => r.place === place)!;
const message = (report: CheckReport, place: string) => {
  const failure = result(report, place).failure;
  return failure && 'message' in failure ? failure.message : '';
};

describe('a command the tracker rejected, at the companion', () => {
  it('fails noRejected in the check of the run, naming the command, its reason and its page', async () => {
    page = await browser.newPage();
    await page.goto(`${shop.origin}/`, { waitUntil: 'load' });
    await expect.poll(async () => (await run.get()).counts.events, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    // Clean so far: every kind is known once the extension reported, and nothing went wrong.
    const clean = { name: 'clean capture', noRejected: true, noUndelivered: true, noDuplicates: true };
    await expect.poll(async () => (await run.check(clean)).passed, { timeout: 20_000 }).toBe(true);

    await page.evaluate(() => (window as unknown as { _gt: unknown[] })._gt.push(['event', 42]));
    let report: CheckReport | null = null;
    await expect
      .poll(async () => message((report = await run.check(clean)), 'noRejected'), { timeout: 20_000 })
      .toContain('the tracker rejected the command');
    const said = message(report!, 'noRejected');
    expect(said).toContain(`on ${shop.origin}/`);
    expect(said).toMatch(/event .*expected an event name/);
    expect(report!.passed).toBe(false);
    expect(result(report!, 'noUndelivered').passed).toBe(true);
    const resource = await run.get();
    expect(resource.problems).toEqual([expect.objectContaining({ kind: 'rejected', by: 'tracker', url: `${shop.origin}/` })]);
    expect(resource.captures!.captured).toBe(resource.counts.events);
  });
});
