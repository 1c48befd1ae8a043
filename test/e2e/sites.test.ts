// Where the tracker runs: localhost and 127.0.0.1 out of the box, switched off and on again from
// the popup; another host stays untracked (the popup says so) until the user switches it on;
// and the page views of back/forward navigation (bfcache included).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { startShop, type Shop } from './site/shop';
import { openPopup, pageView, startLab, visit, type Lab } from './lab';

let lab: Lab;
let other: Shop;

const tracked = (page: import('puppeteer').Page) =>
  page.evaluate(() => Boolean((window as unknown as { _gt?: Record<string, unknown> })._gt?.__visitorLab));

beforeAll(async () => {
  lab = await startLab();
  // 127.0.0.2 is loopback too, but not one of the built-in hosts.
  other = await startShop({ host: '127.0.0.2', companionUrl: lab.companion.url });
});
afterAll(async () => {
  await other?.close();
  await lab?.close();
});

describe('enabled sites', () => {
  it('switching 127.0.0.1 off in the popup stops injection; switching it on brings it back', async () => {
    const page = await lab.browser.browser.newPage();
    await visit(lab.browser, page, lab.shop.url('/'));
    expect(await tracked(page)).toBe(true);

    let popup = await openPopup(lab.browser, page);
    await popup.click('#site-toggle');
    await popup.waitForSelector('#site[data-enabled="false"]');
    await popup.close();
    await page.goto(lab.shop.url('/products'), { waitUntil: 'load' });
    expect(await tracked(page)).toBe(false);
    // The page's own queue is just an array again: what the site pushed sits in it.
    expect(await page.evaluate(() => (window as unknown as { _gt: unknown[] })._gt.length)).toBeGreaterThan(0);

    popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#site[data-enabled="false"]');
    await popup.click('#site-toggle');
    await popup.waitForSelector('#site[data-enabled="true"]');
    await popup.close();
    await visit(lab.browser, page, lab.shop.url('/cart'));
    expect(await tracked(page)).toBe(true);
    await page.close();
  });

  it('another host is not tracked, and the popup says tracking is off there', async () => {
    const page = await lab.browser.browser.newPage();
    await page.goto(other.url('/'), { waitUntil: 'load' });
    expect(await tracked(page)).toBe(false);
    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#empty');
    // Opened by a script, the popup gets no activeTab grant, so it cannot name the host; from the
    // toolbar button it can, and offers the switch (the permission is asked for then).
    expect(await popup.$eval('#empty', (e) => e.textContent)).toContain('Tracking is off');
    expect(await popup.$('#timeline')).toBeNull();
    await popup.close();
    await page.close();
  });

  it('a page the tracker cannot run on gets an empty state', async () => {
    const page = await lab.browser.browser.newPage();
    await page.goto('about:blank');
    const popup = await openPopup(lab.browser, page);
    await popup.waitForSelector('#empty');
    expect(await popup.$eval('#empty', (e) => e.textContent)).toContain('Tracking is off on this page');
    await popup.close();
    await page.close();
  });
});

describe('back and forward', () => {
  it('going back is a new page view: the left page got PageExited, the return a new pageID', async () => {
    const page = await lab.browser.browser.newPage();
    const first = await visit(lab.browser, page, lab.shop.url('/'));
    const homePageID = first.ids!.pageID;
    await visit(lab.browser, page, lab.shop.url('/products'));
    const back = await pageView(lab.browser, page, () => page.goBack());
    const events = back.records.flatMap((r) => r.events);
    const exits = (id: string) => events.filter((e) => e.eventName === 'PageExited' && e.pageID === id).length;
    expect(back.ids!.pageID).not.toBe(homePageID);
    const current = back.records.find((r) => r.ids.pageID === back.ids!.pageID)!;
    expect(current.page.url).toBe(lab.shop.url('/'));
    expect(exits(homePageID)).toBe(1);
    const productsPageID = (back.records.find((r) => r.page.url === lab.shop.url('/products')) as TabView['records'][number]).ids.pageID;
    expect(exits(productsPageID)).toBe(1);
    const { body } = await lab.api.get(`/server/data/visits/${back.ids!.visitID}/pages`);
    expect(body.filter((p: { url: string }) => p.url === lab.shop.url('/')).length).toBeGreaterThanOrEqual(2);
    await page.close();
  });

  it('a page restored from the back/forward cache is a new page view too', async () => {
    const page = await lab.browser.browser.newPage();
    const first = await visit(lab.browser, page, lab.shop.url('/cacheable'));
    await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
    await visit(lab.browser, page, lab.shop.url('/products'));
    const back = await pageView(lab.browser, page, () => page.goBack());
    // The same document came back (its script state is there): a bfcache restore.
    expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
    const entered = back.records.filter((r) => r.page.url === lab.shop.url('/cacheable') && r.events.some((e) => e.eventName === 'PageEntered'));
    expect(entered).toHaveLength(2);
    const restored = entered[1];
    expect(restored.events.map((e) => e.eventName)).toEqual(['PageEntered']);
    expect(restored.seq).toBeGreaterThan(1); // the same tracker, still running in the restored document
    expect(restored.ids.pageID).not.toBe(first.ids!.pageID);
    expect(restored.ids.visitID).toBe(first.ids!.visitID);
    const exits = back.records.flatMap((r) => r.events).filter((e) => e.eventName === 'PageExited' && e.pageID === first.ids!.pageID);
    expect(exits).toHaveLength(1);
    await page.close();
  });
});
