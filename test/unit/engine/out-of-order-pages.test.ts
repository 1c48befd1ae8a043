// Page events applied in an order different from their browser timestamps (docs/identification.md:
// events can reach the companion late): events that name a page before its PageEntered, and
// page ids built from visit and page ids holding ".", ":" or "%".
// Each `apply` call is one arrival (one journal operation).
import { describe, expect, it } from 'vitest';
import { emptyState, pageIdOf, rebuildUnpaged } from '../../../companion/engine';
import { ev, pageEntered, pageExited, visitCtx, visitStarted } from '../../helpers/events';
import { apply, at, T0 } from './apply-helpers';

describe('events that name a page before its PageEntered', () => {
  it('are listed first in the page eventIds, in arrival order, once PageEntered makes the page', () => {
    const state = emptyState();
    const c = visitCtx('ooo-e', 'g-ooo-e', T0);
    const other = visitCtx('ooo-e-other', 'g', T0);
    const cart = at(ev(c, 'AddToCart', { pageID: 'p1' }), 3000); // arrives first, latest time
    const start = at(visitStarted(c, { pageID: 'p1' }), 1000);
    const elsewhere = at(ev(c, 'Click', { pageID: 'p2' }), 3500);
    const noPage = at(ev(c, 'Heartbeat'), 3600);
    const otherVisit = at(ev(other, 'Click', { pageID: 'p1' }), 3700); // same pageID, other visit
    const entered = at(pageEntered(c, 'p1', 'http://shop.test/p1', 'Home'), 2000);
    const after = at(ev(c, 'Scroll', { pageID: 'p1' }), 4000);
    for (const e of [cart, start, elsewhere, noPage, otherVisit]) apply(state, [e]);
    // No page yet: events naming a page do not make one.
    expect(state.pages).toEqual({});
    expect(state.visits['ooo-e'].pageIds).toEqual([]);

    apply(state, [entered]);
    const pageId = pageIdOf('ooo-e', 'p1');
    expect(state.visits['ooo-e'].pageIds).toEqual([pageId]);
    expect(state.pages[pageId]).toEqual({
      pageId,
      browserPageID: 'p1',
      visitId: 'ooo-e',
      url: 'http://shop.test/p1',
      title: 'Home',
      referrer: '',
      category: null,
      startDate: T0 + 2000,
      endDate: 0,
      entered: true,
      eventIds: [cart.eventID, start.eventID, entered.eventID],
    });
    apply(state, [after]);
    expect(state.pages[pageId].eventIds).toEqual([cart.eventID, start.eventID, entered.eventID, after.eventID]);
    expect(Object.keys(state.pages)).toEqual([pageId]);
    expect(state.visits['ooo-e'].eventIds).toEqual([cart, start, elsewhere, noPage, entered, after].map((e) => e.eventID));
    expect(state.visits['ooo-e-other'].eventIds).toEqual([otherVisit.eventID]);
  });

  it('the same holds when a PageExited makes the page first and its PageEntered comes last', () => {
    const state = emptyState();
    const c = visitCtx('ooo-e2', 'g', T0);
    const click = at(ev(c, 'Click', { pageID: 'p3' }), 2500);
    const exit = at(pageExited(c, 'p3'), 3000);
    const entered = at(pageEntered(c, 'p3', 'http://shop.test/p3', 'Three'), 2000);
    apply(state, [click]);
    apply(state, [exit]);
    const pageId = pageIdOf('ooo-e2', 'p3');
    expect(state.pages[pageId].eventIds).toEqual([click.eventID, exit.eventID]);
    expect(state.pages[pageId].entered).toBe(false);
    apply(state, [entered]);
    expect(state.pages[pageId]).toMatchObject({
      title: 'Three',
      url: 'http://shop.test/p3',
      startDate: T0 + 2000,
      endDate: T0 + 3000,
      entered: true,
      eventIds: [click.eventID, exit.eventID, entered.eventID],
    });
  });
});

describe('pageIdOf with ids holding ".", ":" or "%"', () => {
  const pairs: [string, string, string, string][] = [
    ['a', 'b.c', 'a.b', 'c'],
    ['a', 'b:c', 'a:b', 'c'],
    ['a', '%3Ab', 'a%3A', 'b'],
    ['a:', 'b', 'a%3A', 'b'],
    ['a', 'b%c', 'a%b', 'c'],
  ];

  it('never gives two (visit, page) pairs the same id', () => {
    expect(pageIdOf('a', 'b.c')).toBe('a:b.c');
    expect(pageIdOf('a.b', 'c')).toBe('a.b:c');
    expect(pageIdOf('a', 'b:c')).toBe('a:b%3Ac');
    expect(pageIdOf('a:b', 'c')).toBe('a%3Ab:c');
    expect(pageIdOf('a:', 'b')).toBe('a%3A:b');
    expect(pageIdOf('a%3A', 'b')).toBe('a%253A:b');
    for (const [v1, p1, v2, p2] of pairs) expect(pageIdOf(v1, p1), `${v1}|${p1} vs ${v2}|${p2}`).not.toBe(pageIdOf(v2, p2));
    // Every pair from a set of awkward ids gets its own id.
    const ids = ['a', 'b', 'c', 'a.b', 'b.c', 'a:b', 'b:c', 'a:', ':b', ':', '.', '%', 'a%', '%3A', 'a%3A', '%3Ab', 'a%3Ab', '%25'];
    const all = new Set<string>();
    for (const v of ids) for (const p of ids) all.add(pageIdOf(v, p));
    expect(all.size).toBe(ids.length * ids.length);
  });

  it.each(pairs)('visits %j/%j and %j/%j keep separate pages with their own titles', (v1, p1, v2, p2) => {
    const state = emptyState();
    const c1 = visitCtx(v1, `g-${v1}`, T0);
    const c2 = visitCtx(v2, `g-${v2}`, T0);
    const start1 = visitStarted(c1, { pageID: p1 });
    const start2 = visitStarted(c2, { pageID: p2 });
    const enter1 = pageEntered(c1, p1, 'http://shop.test/one', 'First');
    const enter2 = pageEntered(c2, p2, 'http://shop.test/two', 'Second');
    apply(state, [start1, start2, enter1, enter2]);
    const id1 = pageIdOf(v1, p1);
    const id2 = pageIdOf(v2, p2);
    expect(Object.keys(state.pages).sort()).toEqual([id1, id2].sort());
    expect(state.pages[id1]).toMatchObject({
      pageId: id1,
      visitId: v1,
      browserPageID: p1,
      title: 'First',
      url: 'http://shop.test/one',
      eventIds: [start1.eventID, enter1.eventID],
    });
    expect(state.pages[id2]).toMatchObject({
      pageId: id2,
      visitId: v2,
      browserPageID: p2,
      title: 'Second',
      url: 'http://shop.test/two',
      eventIds: [start2.eventID, enter2.eventID],
    });
    expect(state.visits[v1].pageIds).toEqual([id1]);
    expect(state.visits[v2].pageIds).toEqual([id2]);
  });
});

describe('data stored before pages held their early events (snapshot format 2)', () => {
  it('rebuildUnpaged finds the events still waiting for their page', () => {
    const state = emptyState();
    const c = visitCtx('legacy', 'g-legacy', T0);
    const start = at(visitStarted(c, { pageID: 'p1' }), 1000);
    const early = at(ev(c, 'Click', { pageID: 'p2' }), 1500);
    apply(state, [start, at(pageEntered(c, 'p1', 'http://shop.test/', 'Home'), 2000), early]);
    delete state.visits['legacy'].unpaged; // as format 2 stored it
    rebuildUnpaged(state);
    apply(state, [at(pageEntered(c, 'p2', 'http://shop.test/2', 'Two'), 3000)]);
    expect(state.pages[pageIdOf('legacy', 'p2')].eventIds[0]).toBe(early.eventID);
    expect(state.pages[pageIdOf('legacy', 'p1')].eventIds).toContain(start.eventID);
    expect(state.visits['legacy'].unpaged).toBeUndefined();
  });

  it('a page id of __proto__ is held like any other', () => {
    const state = emptyState();
    const c = visitCtx('proto', 'g-proto', T0);
    const early = at(ev(c, 'Click', { pageID: '__proto__' }), 1500);
    apply(state, [early, at(pageEntered(c, '__proto__', 'http://shop.test/', 'Home'), 2000)]);
    expect(state.pages[pageIdOf('proto', '__proto__')].eventIds[0]).toBe(early.eventID);
    expect(Object.getPrototypeOf(state.visits['proto'])).toBe(Object.prototype);
  });
});
