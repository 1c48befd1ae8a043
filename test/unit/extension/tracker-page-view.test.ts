// @vitest-environment happy-dom
// page-view.ts: the page view's life: VisitStarted and PageEntered once the title is known (what
// was pushed meanwhile after them), PageExited when left, a new page view back from the bfcache.
import { afterEach, describe, expect, it } from 'vitest';
import { clearCookies, names, pageWindow, trackerParts } from './tracker-fixture';

afterEach(clearCookies);

const pageEvent = (type: string, persisted: boolean) => Object.assign(new Event(type), { persisted });

describe('pageView', () => {
  it('while the document loads, records wait; once its title is known, VisitStarted and PageEntered go first', () => {
    const win = pageWindow('loading');
    const { delivered, record, event, emit, follow } = trackerParts(win);
    const rec = record('page', ['event', 'AddToCart'], Date.now(), { kind: 'event', form: 'f' });
    rec.events.push(event('BUSINESS', 'AddToCart', {}, Date.now()));
    emit(rec);
    follow();
    expect(delivered).toEqual([]);

    win.document.title = 'Cart';
    win.document.dispatchEvent(new Event('DOMContentLoaded'));
    expect(names(delivered)).toEqual([['VisitStarted', 'PageEntered'], ['AddToCart']]);
    const [started, entered] = delivered[0].record.events;
    expect(started.timezoneOffset).toBe(new Date(started.timestamp).getTimezoneOffset());
    expect(entered).toMatchObject({ eventType: 'SYSTEM', category: '', url: 'http://shop.test/cart', data: { title: 'Cart', referrer: 'http://shop.test/' } });
    expect(delivered.map((d) => d.record.seq)).toEqual([1, 2]);
    // The held record shows the title the page got.
    expect(delivered[1].record.page.title).toBe('Cart');
    // One pageID for the page view's events.
    expect(new Set(delivered.flatMap((d) => d.record.events.map((e) => e.pageID))).size).toBe(1);
  });

  it("the page view's first events say what was true when it started: its session and address", () => {
    const win = pageWindow('loading');
    const { delivered, visit, event, follow } = trackerParts(win);
    const [, , , , openSession] = visit;
    follow();
    const sessionID = openSession(); // a SignIn pushed before the title was known
    (win.location as { href: string }).href = 'http://shop.test/cart#step2';
    win.document.dispatchEvent(new Event('DOMContentLoaded'));
    const entered = delivered[0].record.events.at(-1)!;
    expect(entered).not.toHaveProperty('sessionID');
    expect(entered.url).toBe('http://shop.test/cart');
    expect(delivered[0].record.ids).not.toHaveProperty('sessionID');
    // An event made now carries the session and address of now.
    expect(event('BUSINESS', 'X', {}, Date.now())).toMatchObject({ sessionID, url: 'http://shop.test/cart#step2' });
  });

  it('a loaded document is announced at once; a visit already going sends no VisitStarted', () => {
    trackerParts(pageWindow('complete')).follow(); // the visit's first page
    const { delivered, follow } = trackerParts(pageWindow('complete'));
    follow();
    expect(names(delivered)).toEqual([['PageEntered']]);
  });

  it('pagehide: PageExited once, with an id derived from the page, while leaving', () => {
    const win = pageWindow('complete');
    const { delivered, page, follow } = trackerParts(win);
    follow();
    win.dispatchEvent(pageEvent('pagehide', false));
    win.dispatchEvent(pageEvent('pagehide', false));
    expect(names(delivered)).toEqual([['VisitStarted', 'PageEntered'], ['PageExited']]);
    expect(delivered[1]).toMatchObject({ leaving: true, record: { source: 'tracker', outcome: 'system' } });
    expect(delivered[1].record.events[0].eventID).toBe(`${page.pageID}.exit`);
  });

  it('back from the bfcache (pageshow persisted): a new page view of the same visit', () => {
    const win = pageWindow('complete');
    const { delivered, page, follow } = trackerParts(win);
    follow();
    const first = { ...page };
    win.dispatchEvent(pageEvent('pageshow', true)); // not left yet: nothing
    win.dispatchEvent(pageEvent('pagehide', true));
    win.dispatchEvent(pageEvent('pageshow', false)); // a plain load's pageshow: nothing
    win.dispatchEvent(pageEvent('pageshow', true));
    expect(names(delivered)).toEqual([['VisitStarted', 'PageEntered'], ['PageExited'], ['PageEntered']]);
    const back = delivered[2].record.events[0];
    expect(back.visitID).toBe(first.visitID);
    expect(back.pageID).not.toBe(first.pageID);
    expect(delivered[2].record.seq).toBe(3);
  });

  it("the config's languageCode is stamped on the events made after it", () => {
    const { config, event } = trackerParts(pageWindow('complete'));
    expect(event('BUSINESS', 'X', {}, 1)).not.toHaveProperty('languageCode');
    config.languageCode = 'fr';
    expect(event('BUSINESS', 'X', {}, 1).languageCode).toBe('fr');
  });
});
