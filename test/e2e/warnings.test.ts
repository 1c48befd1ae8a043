// The popup shows what the companion stored but does not take as sent: an event from a page
// whose clock is days ahead is `accepted` with a warning mark and the companion's reason.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPopup, startLab, until, visit, type Lab } from './lab';

let lab: Lab;
let page: Page;

beforeAll(async () => {
  lab = await startLab();
  page = await lab.browser.browser.newPage();
});

afterAll(async () => {
  await lab?.close();
});

describe('the popup marks the companion\'s warnings', () => {
  it('an event stamped by a clock three days ahead: accepted, with a warning mark and its reason', async () => {
    await visit(lab.browser, page, lab.shop.url('/'));
    await page.evaluate(() => {
      // The page's clock runs ahead while the tracker stamps the event (the tracker lives in the page's world).
      const real = Date.now;
      Date.now = () => real() + 3 * 86_400_000;
      try {
        (window as any)._gt.push(['event', 'FutureBuy', { data: { sku: '1' } }]);
      } finally {
        Date.now = real;
      }
    });
    const view = await until(lab.browser, page, (v) => v.records.some((r) => r.events.some((e) => e.eventName === 'FutureBuy')));
    const future = view.records.flatMap((r) => r.events).find((e) => e.eventName === 'FutureBuy')!;
    expect(view.deliveries[future.eventID]).toMatchObject({ state: 'accepted', warning: expect.stringContaining('timestamp: is 3 days ahead') });

    const popup = await openPopup(lab.browser, page);
    const row = `[data-event-id="${future.eventID}"]`;
    await popup.waitForSelector(`${row} [data-warning]`);
    expect(await popup.$eval(`${row} [data-delivery]`, (e) => e.getAttribute('data-delivery'))).toBe('accepted');
    expect(await popup.$eval(`${row} [data-warning-reason]`, (e) => e.textContent)).toMatch(/timestamp: is 3 days ahead of the companion's clock.*stored as sent/);
    // An ordinary event has no mark.
    const entered = view.records.flatMap((r) => r.events).find((e) => e.eventName === 'PageEntered')!;
    expect(await popup.$(`[data-event-id="${entered.eventID}"] [data-warning]`)).toBeNull();
    await popup.close();
  });
});
