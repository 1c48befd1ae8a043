// A run started from the real popup (popup.html?tabId=N as a tab) in chromium with the built
// extension: the shop browsed during it is in that run at the companion (GET /lab/runs/{id}),
// the popup counts it, Stop ends it and the next page's events are in no run; the web app's
// runs pages list it.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResource } from '../../protocol/runs';
import { removeDir } from '../helpers/companion';
import { settled, startLab, text, visit, type Lab } from './lab';

const SHOTS = process.env.VL_SCREENSHOTS; // a folder: the screenshots are written there too
let lab: Lab;
let page: Page;
let popup: Page;
let shots: string;
let runId = '';
let visitID = '';

async function shot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: path.join(SHOTS ?? shots, `${name}.png`) as `${string}.png`, fullPage: true });
}
const runOf = async (id: string): Promise<RunResource> => (await lab.api.get(`/lab/runs/${id}`)).body as RunResource;
const eventIDs = async (): Promise<string[]> => (await lab.browser.tabView(page)).records.flatMap((r) => r.events.map((e) => e.eventID));

beforeAll(async () => {
  lab = await startLab();
  shots = await mkdtemp(path.join(tmpdir(), 'vl-runs-'));
  page = await lab.browser.browser.newPage();
});
afterAll(async () => {
  await lab?.close();
  if (shots) removeDir(shots);
});

describe('a run from the popup', () => {
  it('the popup starts a run by name (Enter) at the companion; the worker sends with it', async () => {
    await visit(lab.browser, page, lab.shop.url('/'));
    popup = await lab.browser.browser.newPage();
    await popup.setViewport({ width: 480, height: 760 });
    await popup.goto(`chrome-extension://${lab.browser.extensionId}/popup.html?tabId=${await lab.browser.tabId(page)}`);
    await popup.waitForSelector('#run-name');
    const label = await popup.$eval('#run-name', (el) => (el as HTMLInputElement).labels?.[0]?.textContent);
    expect(label).toBe('Run name');
    await popup.screenshot({ path: path.join(SHOTS ?? shots, 'popup-run-start.png') as `${string}.png`, clip: { x: 0, y: 0, width: 480, height: 200 } });
    await popup.type('#run-name', 'checkout, e2e');
    await popup.keyboard.press('Enter');
    await popup.waitForSelector('#run-on');
    runId = await popup.$eval('#run-on', (el) => (el as HTMLElement).dataset.runId ?? '');
    expect(runId).toMatch(/^run-/);
    const run = await runOf(runId);
    expect(run).toMatchObject({ name: 'checkout, e2e', stoppedAt: null, counts: { events: 0 } });
  });

  it('the shop browsed during it is in the run, and the popup counts it', async () => {
    await visit(lab.browser, page, lab.shop.url('/products'));
    const view = await visit(lab.browser, page, lab.shop.url('/cart'));
    visitID = view.ids!.visitID;
    // The events captured since the start (this page view's and the previous ones' exits).
    const run = await runOf(runId);
    expect(run.visitIds).toEqual([visitID]);
    expect(run.counts.events).toBeGreaterThanOrEqual(4); // 2 PageEntered, 2 PageExited at least
    await popup.waitForFunction(
      (n) => document.querySelector('#run-counts')?.textContent?.startsWith(`${n} events in 1 visit`),
      { timeout: 10_000 },
      run.counts.events,
    );
    expect(await text(popup, '#run-on')).toMatch(/Run “checkout, e2e” on for \d+ s/);
    // The top of the popup: the companion's line and the run.
    const bottom = await popup.$eval('#run', (e) => e.getBoundingClientRect().bottom + scrollY);
    await popup.screenshot({ path: path.join(SHOTS ?? shots, 'popup-run.png') as `${string}.png`, clip: { x: 0, y: 0, width: 480, height: Math.ceil(bottom) + 8 } });
  });

  it('Stop ends it at the companion; the next page\'s events are in no run', async () => {
    await popup.click('#run-stop');
    await popup.waitForSelector('#run-name');
    const stopped = await runOf(runId);
    expect(stopped.stoppedAt).toBeGreaterThan(0);
    const before = new Set(await eventIDs());
    await visit(lab.browser, page, lab.shop.url('/'));
    await settled(lab.browser, page);
    const after = (await eventIDs()).filter((id) => !before.has(id));
    expect(after.length).toBeGreaterThanOrEqual(2); // the cart's PageExited, the home's PageEntered
    // Stored at the companion, but not in the run.
    const stored = ((await lab.api.get(`/server/data/visits/${visitID}/events`)).body as Array<{ eventID: string }>).map((e) => e.eventID);
    for (const id of after) expect(stored).toContain(id);
    expect((await runOf(runId)).counts.events).toBe(stopped.counts.events);
    const exported = (await lab.api.get(`/lab/export?run=${runId}&format=json`)).body;
    const inRun = JSON.stringify(exported);
    for (const id of after) expect(inRun).not.toContain(id);
  });

  it('the web app lists the run and its page shows its visit', async () => {
    // A check recorded on the run: its verdict shows in both pages.
    const check = await lab.api.post('/lab/check', { spec: { name: 'pages entered', visits: [{ steps: [{ event: 'PageEntered', url: '/products' }, { event: 'PageEntered', url: '/cart' }] }] }, run: runId });
    expect(check.body.passed).toBe(true);
    const app = await lab.browser.browser.newPage();
    await app.setViewport({ width: 1200, height: 700 });
    await app.goto(`${lab.companion.url}/runs`, { waitUntil: 'load' });
    await app.waitForSelector(`tr[data-run-id="${runId}"]`);
    const row = await text(app, `tr[data-run-id="${runId}"]`);
    expect(row).toContain('checkout, e2e');
    expect(row).toContain('stopped');
    expect(row).toContain('✓ passed: pages entered (1 passed)');
    await shot(app, 'web-app-runs');
    // Live: a run started meanwhile comes in at the top without a reload.
    const other = (await lab.api.post('/lab/runs', { name: 'started meanwhile' })).body.runId as string;
    await app.waitForFunction((id) => document.querySelector('tbody tr')?.getAttribute('data-run-id') === id, { timeout: 10_000 }, other);
    expect(await text(app, `tr[data-run-id="${other}"]`)).toContain('● running');
    await app.click(`tr[data-run-id="${runId}"] a`);
    await app.waitForSelector('#run-visits a');
    expect(await text(app, 'h1')).toBe('Run “checkout, e2e”');
    expect(await app.$$eval('#run-visits a', (as) => as.map((a) => a.textContent))).toEqual([visitID]);
    expect(await app.title()).toBe(`Run ${runId} · Visitor Lab`);
    expect(await text(app, '#run-checks')).toMatch(/^✓ passed: pages entered \(1 passed\)/);
    // The extension reported what it captured for the run, and all of it was stored.
    expect(await text(app, '#run-captures')).toMatch(/^\d+ captured, all stored$/);
    await shot(app, 'web-app-run');
    // Keyboard: the forget question takes the focus, Escape-free Cancel gives it back.
    await app.focus('#forget-run');
    await app.keyboard.press('Enter');
    await app.waitForFunction(() => document.activeElement?.id === 'forget-yes');
    await app.keyboard.press('Enter');
    await app.waitForFunction(() => document.querySelector('[role=status]')?.textContent?.includes('were forgotten'));
    expect((await lab.api.get(`/lab/runs/${runId}`)).status).toBe(404);
    await app.close();
  });
});
