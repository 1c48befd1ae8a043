// Categories in the real browser: the companion started with categories labels the Lab Shop's
// events by URL and page title, and the popup shows each event's categories from its answer.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPopup, settled, startLab, visit, type Lab } from './lab';

let lab: Lab;
let page: Page;

beforeAll(async () => {
  lab = await startLab();
  // Through the lab API, as a tester would (the --categories file takes the same JSON).
  const res = await fetch(`${lab.companion.url}/lab/categories`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([
      { name: 'Catalogue', tags: ['/products'] },
      { name: 'Basket', tags: [{ regex: '/cart$' }, { text: '– Cart', caseSensitive: true }] },
    ]),
  });
  expect(res.status).toBe(200);
  page = await lab.browser.browser.newPage();
});

afterAll(async () => {
  await lab?.close();
});

describe('categories in the browser', () => {
  it('labels the shop\'s events, and the popup shows each event\'s categories', async () => {
    await visit(lab.browser, page, lab.shop.url('/products'));
    await visit(lab.browser, page, lab.shop.url('/cart'));
    const view = await settled(lab.browser, page);
    const events = view.records.flatMap((r) => r.events);
    const entered = events.filter((e) => e.eventName === 'PageEntered');
    expect(entered.map((e) => view.deliveries[e.eventID].category)).toEqual(['Catalogue', 'Basket']);

    const visitID = entered[0].visitID;
    const stored = await lab.api.get(`/server/data/visits/${encodeURIComponent(visitID)}/events?category=Basket`);
    expect(stored.body.map((e: { eventName: string; url: string }) => [e.eventName, new URL(e.url).pathname])).toContainEqual(['PageEntered', '/cart']);
    const any = await lab.api.get(`/server/data/visits/${encodeURIComponent(visitID)}/events?category=all%20categories`);
    expect(any.status).toBe(200);

    const popup = await openPopup(lab.browser, page);
    const row = `[data-event-id="${entered[1].eventID}"] [data-categories]`;
    await popup.waitForSelector(row);
    expect(await popup.$eval(row, (e) => e.getAttribute('aria-label'))).toBe('Categories: Basket');
    await popup.close();
  });
});
