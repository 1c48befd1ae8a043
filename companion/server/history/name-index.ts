// An index of a visit's events by eventName, kept by the History API itself (the engine's
// state has none): `/visits/{visitId}/events?eventName=SignIn` then reads the SignIn events
// from the page key on, instead of skipping every other event of a visit of 100,000.
//
// The visit's eventIds list is only ever appended to (engine/state.ts), so the index holds
// positions in it and catches up with what was appended since it was last read: each event is
// indexed once. It is keyed by the visit record, so a reset (new records) drops it with them.
import { eventNameOf, type LabState, type VisitRecord } from '../../engine';
import type { Source } from './paging';

interface NameIndex {
  /** How many of the visit's eventIds are indexed. */
  indexed: number;
  byName: Map<string, number[]>;
}

const indexes = new WeakMap<VisitRecord, NameIndex>();

/** Positions in `visit.eventIds` of the events named `name`, in order. */
export function positionsOfName(state: LabState, visit: VisitRecord, name: string): readonly number[] {
  let index = indexes.get(visit);
  if (!index) indexes.set(visit, (index = { indexed: 0, byName: new Map() }));
  const ids = visit.eventIds;
  for (; index.indexed < ids.length; index.indexed++) {
    // Read from the stored text without parsing: a first look at a visit of 1,000,000 events.
    const eventName = eventNameOf(state, ids[index.indexed]);
    const list = index.byName.get(eventName);
    if (list) list.push(index.indexed);
    else index.byName.set(eventName, [index.indexed]);
  }
  return index.byName.get(name) ?? [];
}

/** The first index in the ascending `positions` whose value is above `pos`. */
function firstAbove(positions: readonly number[], pos: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (positions[mid] <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The entries of `list` at `positions` (ascending), as a Source whose positions are those of
 * `list`: its page keys are the same as the whole list's.
 */
export function positionsSource<A, T>(list: readonly A[], positions: readonly number[], get: (a: A) => T): Source<T> {
  return {
    depth: 1,
    at: (pos) => (pos.length === 1 && pos[0] < list.length ? get(list[pos[0]]) : undefined),
    *walk(after) {
      for (let k = after === null ? 0 : firstAbove(positions, after[0]); k < positions.length; k++) {
        yield { pos: [positions[k]], item: get(list[positions[k]]) };
      }
    },
  };
}
