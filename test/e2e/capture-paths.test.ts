// The two paths a page's capture records take to the worker, in chromium with the built
// extension: a built-in site (127.0.0.1) sends them itself through externally_connectable, with
// no relay (so no isolated world in its pages), and the popup's lab actions still reach it; a
// page may ask the worker nothing else that way. (The relay's path: first-page.test.ts's
// shop.test, and Firefox: firefox-journey.test.ts.)
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { EXTENSION_ID } from '../../extension/tracker/direct-link';
import { startLab, until, visit, type Lab } from './lab';

let lab: Lab;
let page: Page;

const named = (view: TabView, name: string) => view.records.flatMap((r) => r.events).filter((e) => e.eventName === name);

beforeAll(async () => {
  lab = await startLab();
  page = await lab.browser.browser.newPage();
});
afterAll(async () => lab?.close());

describe('the direct path (built-in sites)', () => {
  it('records arrive and are delivered with no relay in the page; a lab action reaches the page', async () => {
    const view = await visit(lab.browser, page, lab.shop.url('/products'));
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');
    expect(named(view, 'PageEntered')).toHaveLength(1);
    await until(lab.browser, page, (v) => named(v, 'PageEntered').every((e) => v.deliveries[e.eventID]?.state === 'accepted'));
    const tabId = await lab.browser.tabId(page);
    // The relay's isolated world: executeScript creates it now, and finds no relay ran there.
    const relayed = await lab.browser.inWorker(
      new Function(`return chrome.scripting.executeScript({ target: { tabId: ${tabId} }, func: () => globalThis.visitorLabRelay === true }).then(([r]) => r.result);`) as () => Promise<boolean>,
    );
    expect(relayed).toBe(false);
    await lab.browser.ask({ type: 'tab:lab', tabId, lab: { type: 'push', command: ['event', 'FromPopup', { data: { n: 1 } }] } });
    const after = await until(lab.browser, page, (v) => named(v, 'FromPopup').length === 1);
    expect(after.records.find((r) => r.events.some((e) => e.eventName === 'FromPopup'))!.source).toBe('lab');
  });

  it('a page may send only capture that way', async () => {
    const answer = await page.evaluate(
      (id) =>
        new Promise((resolve) => {
          const runtime = (window as unknown as { chrome: { runtime: { sendMessage(id: string, m: unknown, r: (a: unknown) => void): void } } }).chrome.runtime;
          runtime.sendMessage(id, { type: 'settings:set', companionUrl: 'http://evil.test' }, resolve);
        }),
      EXTENSION_ID,
    );
    expect(answer).toEqual({ ok: false, error: 'not allowed from a page' });
    expect(await lab.browser.ask<{ companionUrl: string }>({ type: 'settings:get' })).toMatchObject({ companionUrl: lab.companion.url });
  });
});
