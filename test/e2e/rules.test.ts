// The site's business-event rules as GWE runs them (contract section 5), in chromium with the
// built extension: the page of test/e2e/site/dsl-site.ts and its domain-model.xml, which uses
// every part of the DSL. Rules that cannot run show in the capture log with the reason.
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TabView } from '../../extension/shared/messages';
import { startLab, until, visit, type Lab } from './lab';
import { DSL_PAGE_PATH, startDslSite, type DslSite } from './site/dsl-site';

let lab: Lab;
let site: DslSite;
let page: Page;

const named = (view: TabView, name: string) => view.records.filter((r) => r.source === 'rule' && r.events.some((e) => e.eventName === name));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  lab = await startLab();
  site = await startDslSite();
  page = await lab.browser.browser.newPage();
});
afterAll(async () => {
  await lab?.close();
  await site?.close();
});

describe("the site's domain-model.xml, as GWE runs it", () => {
  it('rules that cannot run are in the capture log with the reason', async () => {
    await visit(lab.browser, page, site.url(DSL_PAGE_PATH));
    const view = await until(lab.browser, page, (v) => v.records.filter((r) => r.source === 'rule' && r.outcome === 'rejected').length >= 5);
    const reasons = view.records.filter((r) => r.source === 'rule' && r.outcome === 'rejected').map((r) => r.reason);
    expect(reasons).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/rule NoType: trigger t: timer type must be timeout or nomove/),
        expect.stringMatching(/rule BadSelector: .*div\[/),
        expect.stringMatching(/rule BadCondition: /),
        expect.stringMatching(/rule NoTrigger: the event has no trigger/),
        expect.stringMatching(/rule BadAction: trigger a: action "on click!" is not a DOM event name/),
      ]),
    );
  });

  it('a timeout timer with a postcondition and an event val; a false condition and another url install nothing', async () => {
    const view = await until(lab.browser, page, (v) => named(v, 'Timeout-300').length > 0);
    expect(named(view, 'Timeout-300')[0].events[0]).toMatchObject({ eventType: 'BUSINESS', data: { title: 'DSL shop' } });
    await sleep(200);
    const later = await lab.browser.tabView(page);
    expect(named(later, 'Timeout-300')).toHaveLength(1); // once a page
    expect(named(later, 'NeverInstalled')).toHaveLength(0);
  });

  it('enterkey and a click on a jQuery selector (:submit): two events of one name, with the input as val', async () => {
    await page.type('#q', 'lamp');
    await page.keyboard.press('Enter');
    let view = await until(lab.browser, page, (v) => named(v, 'Search').length === 1);
    expect(named(view, 'Search')[0].events[0].data).toEqual({ key: 'Enter', searchString: 'lamp' });
    await page.click('form#search button');
    view = await until(lab.browser, page, (v) => named(v, 'Search').length === 2);
    expect(named(view, 'Search')[1].events[0].data).toEqual({ searchString: 'lamp' });
    expect(view.deliveries[named(view, 'Search')[1].events[0].eventID].state).toBe('accepted');
  });

  it('any DOM event (change), with the matched event in a trigger val', async () => {
    await page.select('#size', 'M');
    const view = await until(lab.browser, page, (v) => named(v, 'SizeChosen').length === 1);
    expect(named(view, 'SizeChosen')[0].events[0].data).toEqual({ size: 'M' });
  });

  it('several triggers must all match, one counted (count=2), with :first and :eq(); url as a regular expression; :contains()', async () => {
    await page.click('button.buy:nth-of-type(2)');
    await page.click('button.buy:nth-of-type(2)');
    await sleep(150);
    expect(named(await lab.browser.tabView(page), 'Engaged')).toHaveLength(0); // not hovered yet
    await page.hover('#products li:first-child');
    const view = await until(lab.browser, page, (v) => named(v, 'Engaged').length === 1);
    expect(named(view, 'Engaged')[0].events[0].data).toEqual({ product: 'Lamp' });
    await page.click('#products li:nth-child(2)');
    await page.click('#products li:nth-child(1)'); // Chair: not the :contains('Lamp') one
    const after = await until(lab.browser, page, (v) => named(v, 'LampClicked').length === 1);
    expect(named(after, 'LampClicked')).toHaveLength(1);
    expect(named(after, 'NotHere')).toHaveLength(0);
  });

  it('a postcondition that is false keeps the event; a val that throws is noted, the others sent', async () => {
    await page.click('#guarded');
    await sleep(150);
    expect(named(await lab.browser.tabView(page), 'GuardedClick')).toHaveLength(0);
    await page.evaluate(() => ((window as unknown as { __allow: boolean }).__allow = true));
    await page.click('#guarded');
    await until(lab.browser, page, (v) => named(v, 'GuardedClick').length === 1);
    await page.click('#noted');
    const view = await until(lab.browser, page, (v) => named(v, 'NotedClick').length === 1);
    const noted = named(view, 'NotedClick')[0];
    expect(noted.events[0].data).toEqual({ fine: 2 });
    expect(noted.warning).toMatch(/val broken: .*no/);
  });

  it('a nomove timer fires only once the mouse stays still for its time', async () => {
    await visit(lab.browser, page, site.url(`${DSL_PAGE_PATH}?again`));
    const before = named(await lab.browser.tabView(page), 'Idle').length;
    for (let i = 0; i < 12; i++) {
      await page.mouse.move(20 + (i % 2) * 30, 40);
      await sleep(100);
    }
    expect(named(await lab.browser.tabView(page), 'Idle').length).toBe(before);
    await until(lab.browser, page, (v) => named(v, 'Idle').length === before + 1);
  });
});
