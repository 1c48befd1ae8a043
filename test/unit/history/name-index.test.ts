// The History API's own index of a visit's events by eventName (companion/server/history/
// name-index.ts): the same pages as filtering the whole list, each event indexed once, and a
// page of a rare name read without skipping the other events.
import { describe, expect, it } from 'vitest';
import { emptyState, type LabState, type VisitRecord } from '../../../companion/engine';
import { positionsOfName, positionsSource } from '../../../companion/server/history/name-index';
import { arraySource, pageOf, type Source } from '../../../companion/server/history/paging';
import type { StoredEvent } from '../../../protocol';

const NAMES = ['PageEntered', 'AddToCart', 'PageExited', 'AddToCart', 'SignIn'];

/** A state with one visit of `n` events (names cycling through NAMES); `reads` counts event look-ups. */
function visitOf(n: number): { state: LabState; visit: VisitRecord; reads: () => number; add: (count: number) => void } {
  const state = emptyState();
  let reads = 0;
  const events: Record<string, StoredEvent> = {};
  state.events = new Proxy(events, { get: (t, k) => (reads++, Reflect.get(t, k)) });
  const visit = { visitId: 'v', eventIds: [] as string[] } as unknown as VisitRecord;
  const add = (count: number) => {
    for (let i = 0; i < count; i++) {
      const k = visit.eventIds.length;
      const id = `e${k}`;
      events[id] = { eventID: id, eventName: NAMES[k % NAMES.length] } as StoredEvent;
      visit.eventIds.push(id);
    }
  };
  add(n);
  return { state, visit, reads: () => reads, add };
}

function walk(source: Source<StoredEvent>, keep: (e: StoredEvent) => boolean, size: number): string[] {
  const seen: string[] = [];
  let key: string | undefined;
  do {
    const p = pageOf(source, keep, (e) => e.eventID, size, key);
    seen.push(...p.items.map((e) => e.eventID));
    key = p.next ?? undefined;
  } while (key);
  return seen;
}

describe('eventName index', () => {
  it('gives the positions of each name in order, and nothing for an unknown name', () => {
    const { state, visit } = visitOf(12);
    expect(positionsOfName(state, visit, 'AddToCart')).toEqual([1, 3, 6, 8, 11]);
    expect(positionsOfName(state, visit, 'SignIn')).toEqual([4, 9]);
    expect(positionsOfName(state, visit, 'Nope')).toEqual([]);
  });

  it('indexes each event once, catching up with appended events', () => {
    const v = visitOf(1000);
    positionsOfName(v.state, v.visit, 'SignIn');
    expect(v.reads()).toBe(1000);
    positionsOfName(v.state, v.visit, 'AddToCart');
    expect(v.reads()).toBe(1000);
    v.add(10);
    expect(positionsOfName(v.state, v.visit, 'SignIn').slice(-2)).toEqual([1004, 1009]);
    expect(v.reads()).toBe(1010);
  });

  it('pages exactly as filtering the whole list does, with interchangeable keys', () => {
    const { state, visit } = visitOf(503);
    const get = (id: string) => state.events[id] as StoredEvent;
    for (const name of ['AddToCart', 'SignIn', 'Nope']) {
      const keep = (e: StoredEvent) => e.eventName === name;
      const indexed = positionsSource(visit.eventIds, positionsOfName(state, visit, name), get);
      const plain = arraySource(visit.eventIds, get);
      for (const size of [1, 7, 100, 1000]) expect(walk(indexed, keep, size)).toEqual(walk(plain, keep, size));
      // A key from one is a key of the other: both name positions in the visit's eventIds.
      const p1 = pageOf(plain, keep, (e) => e.eventID, 3, undefined);
      if (p1.next) expect(pageOf(indexed, keep, (e) => e.eventID, 3, p1.next)).toEqual(pageOf(plain, keep, (e) => e.eventID, 3, p1.next));
    }
  });

  it('a page of a rare name reads that page, not the events between', () => {
    const v = visitOf(100_000);
    const get = (id: string) => v.state.events[id] as StoredEvent;
    const keep = (e: StoredEvent) => e.eventName === 'SignIn';
    const positions = positionsOfName(v.state, v.visit, 'SignIn');
    const source = positionsSource(v.visit.eventIds, positions, get);
    const p1 = pageOf(source, keep, (e) => e.eventID, 10, undefined);
    const before = v.reads();
    const p2 = pageOf(source, keep, (e) => e.eventID, 10, p1.next!);
    expect(p2.items.map((e) => e.eventID)).toEqual(positions.slice(10, 20).map((p) => `e${p}`));
    expect(v.reads() - before).toBe(12); // the key check, the page, one more
  });
});
