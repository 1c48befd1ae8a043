// Pages: PageEntered makes a page resource (`<visitId>:<browserPageID>`), PageExited closes it,
// out-of-order exits create the page, and events on a known page are listed on it.
import { describe, expect, it } from 'vitest';
import { applyOperation, eventOf, DEFAULT_ENGINE_CONFIG, emptyState, pageIdOf, type EngineConfig, type LabState } from '../../../companion/engine';
import type { GtEvent } from '../../../protocol';
import { ev, pageEntered, pageExited, signIn, stored, visitCtx, visitStarted } from '../../helpers/events';

const T0 = 1_700_000_000_000;

let seq = 0;
function apply(state: LabState, events: GtEvent[], config: EngineConfig = DEFAULT_ENGINE_CONFIG) {
  return applyOperation(state, { seq: ++seq, op: { kind: 'events', userAgent: 'UA/1', events: events.map((e) => stored(e)) } }, config);
}

describe('pageIdOf', () => {
  it('scopes the browser page id by visit', () => {
    expect(pageIdOf('v1', 'p1')).toBe('v1:p1');
    expect(pageIdOf('visit-x', 'abc.def')).toBe('visit-x:abc.def');
    // No two (visit, page) pairs share an id, whatever characters the ids hold.
    expect(pageIdOf('a', 'b.c')).not.toBe(pageIdOf('a.b', 'c'));
    expect(pageIdOf('a', 'b:c')).not.toBe(pageIdOf('a:b', 'c'));
  });
});

describe('PageEntered', () => {
  it('creates a page resource with url, title, referrer and category', () => {
    const state = emptyState();
    const c = visitCtx('v-pg', 'g', T0);
    const start = visitStarted(c);
    const entered = ev(c, 'PageEntered', {
      pageID: 'p1',
      url: 'http://shop.test/shoes?id=7',
      category: 'shop;shoes',
      data: { title: 'Red shoes', referrer: 'http://search.test/?q=shoes' },
    });
    apply(state, [start, entered]);
    expect(state.pages['v-pg:p1']).toEqual({
      pageId: 'v-pg:p1',
      browserPageID: 'p1',
      visitId: 'v-pg',
      url: 'http://shop.test/shoes?id=7',
      title: 'Red shoes',
      referrer: 'http://search.test/?q=shoes',
      category: 'shop;shoes',
      startDate: T0 + 2000,
      endDate: 0,
      entered: true,
      eventIds: [entered.eventID],
    });
    expect(state.visits['v-pg'].pageIds).toEqual(['v-pg:p1']);
    expect(state.visits['v-pg'].eventIds).toContain(entered.eventID);
  });

  it('leaves category, title and referrer null when the event has none (or they are not strings)', () => {
    const state = emptyState();
    const c = visitCtx('v-pg-bare', 'g', T0);
    apply(state, [ev(c, 'PageEntered', { pageID: 'p1', url: 'http://shop.test/a', data: { title: 7, referrer: null } })]);
    const page = state.pages['v-pg-bare:p1'];
    expect(page.category).toBeNull();
    expect(page.title).toBeNull();
    expect(page.referrer).toBeNull();
    expect(page.url).toBe('http://shop.test/a');
  });

  it('a return to the same url is a new page', () => {
    const state = emptyState();
    const c = visitCtx('v-again', 'g', T0);
    const events = [
      visitStarted(c),
      pageEntered(c, 'p1', 'http://shop.test/home', 'Home'),
      pageExited(c, 'p1'),
      pageEntered(c, 'p2', 'http://shop.test/cart', 'Cart'),
      pageExited(c, 'p2'),
      pageEntered(c, 'p3', 'http://shop.test/home', 'Home'),
    ];
    apply(state, events);
    expect(state.visits['v-again'].pageIds).toEqual(['v-again:p1', 'v-again:p2', 'v-again:p3']);
    expect(state.pages['v-again:p1'].url).toBe('http://shop.test/home');
    expect(state.pages['v-again:p3'].url).toBe('http://shop.test/home');
    expect(state.pages['v-again:p1']).toMatchObject({ startDate: T0 + 2000, endDate: T0 + 3000 });
    expect(state.pages['v-again:p3']).toMatchObject({ startDate: T0 + 6000, endDate: 0, eventIds: [events[5].eventID] });
  });
});

describe('PageExited', () => {
  it('closes the page at the exit time', () => {
    const state = emptyState();
    const c = visitCtx('v-exit', 'g', T0);
    const entered = pageEntered(c, 'p1');
    const exited = pageExited(c, 'p1');
    apply(state, [visitStarted({ ...c, t: T0 - 1000 }), entered, exited]);
    const page = state.pages['v-exit:p1'];
    expect(page.startDate).toBe(T0 + 1000);
    expect(page.endDate).toBe(T0 + 2000);
    expect(page.eventIds).toEqual([entered.eventID, exited.eventID]);
    expect(page.url).toBe('http://shop.test/p1');
  });

  it('out of order: an exit before the entry creates the page, the entry then fills it in', () => {
    const state = emptyState();
    const c = visitCtx('v-ooo', 'g', T0);
    const entered = ev(c, 'PageEntered', { pageID: 'p1', url: 'http://shop.test/late', category: 'late', data: { title: 'Late', referrer: 'http://ref.test/' } }); // T0+1000
    const exited = ev(c, 'PageExited', { pageID: 'p1', url: 'http://shop.test/late' }); // T0+2000
    apply(state, [exited]);
    expect(state.pages['v-ooo:p1']).toEqual({
      pageId: 'v-ooo:p1',
      browserPageID: 'p1',
      visitId: 'v-ooo',
      url: 'http://shop.test/late',
      title: null,
      referrer: null,
      category: null,
      startDate: T0 + 2000,
      endDate: T0 + 2000,
      entered: false,
      eventIds: [exited.eventID],
    });
    apply(state, [entered]);
    expect(state.pages['v-ooo:p1']).toEqual({
      pageId: 'v-ooo:p1',
      browserPageID: 'p1',
      visitId: 'v-ooo',
      url: 'http://shop.test/late',
      title: 'Late',
      referrer: 'http://ref.test/',
      category: 'late',
      startDate: T0 + 1000,
      endDate: T0 + 2000,
      entered: true,
      eventIds: [exited.eventID, entered.eventID],
    });
    expect(state.visits['v-ooo'].pageIds).toEqual(['v-ooo:p1']);
  });

  it("out of order: the entry's url replaces the exit's", () => {
    const state = emptyState();
    const c = visitCtx('v-ooo-url', 'g', T0);
    const entered = pageEntered(c, 'p1', 'http://shop.test/real');
    const exited = ev(c, 'PageExited', { pageID: 'p1', url: 'http://shop.test/other' });
    apply(state, [exited, entered]);
    expect(state.pages['v-ooo-url:p1'].url).toBe('http://shop.test/real');
  });

  it('a late PageExited does not move an end date back', () => {
    const state = emptyState();
    const c = visitCtx('v-exit-twice', 'g', T0);
    const entered = pageEntered(c, 'p1');
    const first = pageExited(c, 'p1'); // T0+2000
    const second = pageExited(c, 'p1'); // T0+3000
    apply(state, [entered, second, first]);
    expect(state.pages['v-exit-twice:p1'].endDate).toBe(T0 + 3000);
  });
});

describe('events on a page', () => {
  it("any event carrying a known pageID is listed in that page's eventIds", () => {
    const state = emptyState();
    const c = visitCtx('v-on', 'g', T0);
    const start = visitStarted(c, { pageID: 'p1' }); // before the page exists
    const entered = pageEntered(c, 'p1');
    const cart = ev(c, 'AddToCart', { pageID: 'p1', data: { sku: 'A1' } });
    const sign = signIn(c, { userId: 'ann' }, 'p1');
    const noPage = ev(c, 'Heartbeat');
    const otherPage = ev(c, 'Click', { pageID: 'p9' });
    const entered2 = pageEntered(c, 'p2');
    const onP2 = ev(c, 'Click', { pageID: 'p2' });
    apply(state, [start, entered, cart, sign, noPage, otherPage, entered2, onP2]);
    // The VisitStarted came before the page existed: it joins the page when the page is made.
    expect(state.pages['v-on:p1'].eventIds).toEqual([start.eventID, entered.eventID, cart.eventID, sign.eventID]);
    expect(state.pages['v-on:p2'].eventIds).toEqual([entered2.eventID, onP2.eventID]);
    // An event naming a page never entered creates no page.
    expect(state.pages['v-on:p9']).toBeUndefined();
    expect(state.visits['v-on'].pageIds).toEqual(['v-on:p1', 'v-on:p2']);
    // Every event is in the visit.
    expect(state.visits['v-on'].eventIds).toEqual([start, entered, cart, sign, noPage, otherPage, entered2, onP2].map((e) => e.eventID));
    expect(eventOf(state, cart.eventID).browserPageID).toBe('p1');
    expect(eventOf(state, noPage.eventID).browserPageID).toBeNull();
  });

  it('two visits reusing a pageID never share a page', () => {
    const state = emptyState();
    const a = visitCtx('v-A', 'g', T0);
    const b = visitCtx('v-B', 'g', T0 + 500);
    const aEnter = pageEntered(a, 'p1', 'http://shop.test/a', 'A');
    const bEnter = pageEntered(b, 'p1', 'http://shop.test/b', 'B');
    const aClick = ev(a, 'Click', { pageID: 'p1' });
    const bExit = pageExited(b, 'p1');
    apply(state, [visitStarted({ ...a, t: T0 - 1000 }), visitStarted({ ...b, t: T0 - 500 }), aEnter, bEnter, aClick, bExit]);
    expect(state.pages['v-A:p1']).toMatchObject({
      visitId: 'v-A',
      browserPageID: 'p1',
      url: 'http://shop.test/a',
      title: 'A',
      endDate: 0,
      eventIds: [aEnter.eventID, aClick.eventID],
    });
    expect(state.pages['v-B:p1']).toMatchObject({
      visitId: 'v-B',
      browserPageID: 'p1',
      url: 'http://shop.test/b',
      title: 'B',
      endDate: bExit.timestamp,
      eventIds: [bEnter.eventID, bExit.eventID],
    });
    expect(state.visits['v-A'].pageIds).toEqual(['v-A:p1']);
    expect(state.visits['v-B'].pageIds).toEqual(['v-B:p1']);
    expect(Object.keys(state.pages).sort()).toEqual(['v-A:p1', 'v-B:p1']);
  });

  it('pages left open close when the visit expires and the next event arrives', () => {
    const state = emptyState();
    const cfg = { visitExpirationTime: 60 };
    const c = visitCtx('v-pg-exp', 'g', T0);
    apply(state, [visitStarted(c), pageEntered(c, 'p1')], cfg); // latest T0+2000
    c.t += 300_000;
    const enterP2 = pageEntered(c, 'p2');
    apply(state, [enterP2], cfg);
    expect(state.pages['v-pg-exp:p1'].endDate).toBe(T0 + 2000 + 60_000);
    expect(state.pages['v-pg-exp:p2']).toMatchObject({ startDate: enterP2.timestamp, endDate: 0 });
  });
});
