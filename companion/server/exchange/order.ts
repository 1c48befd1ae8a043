// The stored events of an export's scope in the order the companion received them, read
// lazily so an export of millions never holds them all. Each visit keeps its events in the
// order they were applied; the visits' lists are merged on serverTimestamp (a request's
// events share it, and the store applies requests in the order they arrived), ties going to
// the visit listed first. Events of several visits in one millisecond come out visit by
// visit: the only order the stored data cannot tell.
import type { StoredEvent } from '../../../protocol';
import { eventOf, own, type LabState, type VisitRecord } from '../../engine';

/** The visits of a scope, each with the length its event list had when the export began. */
export interface ScopeCut {
  visits: { visit: VisitRecord; n: number }[];
}

export const cutOf = (state: LabState, visitIds: readonly string[]): ScopeCut => ({
  visits: visitIds.map((id) => ({ visit: state.visits[id], n: state.visits[id].eventIds.length })),
});

/** The state was reset while an export read it: the rest of the answer cannot be given. */
export class ExportInterrupted extends Error {}

interface Cursor {
  /** Position of the visit in the cut: the tie-break. */
  rank: number;
  pos: number;
  head: StoredEvent;
}

const before = (a: Cursor, b: Cursor) =>
  a.head.serverTimestamp < b.head.serverTimestamp || (a.head.serverTimestamp === b.head.serverTimestamp && a.rank < b.rank);

/** A binary min-heap of cursors (40,000 visits: a linear scan per event would be the cost). */
class Heap {
  private items: Cursor[] = [];
  get size() {
    return this.items.length;
  }
  push(c: Cursor): void {
    const a = this.items;
    a.push(c);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (!before(a[i], a[p])) break;
      [a[i], a[p]] = [a[p], a[i]];
      i = p;
    }
  }
  pop(): Cursor {
    const a = this.items;
    const top = a[0];
    const last = a.pop()!;
    if (a.length) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

function read(state: LabState, visit: VisitRecord, pos: number): StoredEvent {
  const id = visit.eventIds[pos];
  if (id === undefined || !own(state.events, id)) throw new ExportInterrupted('the companion was reset during the export');
  return eventOf(state, id);
}

export function* eventsInReceivedOrder(state: LabState, cut: ScopeCut): Generator<{ event: StoredEvent; userAgent: string | null }> {
  const heap = new Heap();
  cut.visits.forEach(({ visit, n }, rank) => {
    if (n > 0) heap.push({ rank, pos: 0, head: read(state, visit, 0) });
  });
  while (heap.size) {
    const c = heap.pop();
    const { visit, n } = cut.visits[c.rank];
    yield { event: c.head, userAgent: visit.userAgent };
    if (++c.pos < n) {
      c.head = read(state, visit, c.pos);
      heap.push(c);
    }
  }
}
