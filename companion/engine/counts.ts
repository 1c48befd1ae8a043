// How many pages, events, sessions and contacts the state holds, kept as they are made: the
// tables are plain objects, and counting their keys made every /lab/health build an array of a
// million event ids. Derived (never stored): counted once on first use, then kept up to date
// by the engine where it adds to a table.
import type { LabState } from './state';

export interface TableCounts {
  pages: number;
  events: number;
  sessions: number;
  contacts: number;
}

const counts = new WeakMap<LabState, TableCounts>();

export function countsOf(state: LabState): TableCounts {
  let c = counts.get(state);
  if (!c) {
    c = {
      pages: Object.keys(state.pages).length,
      events: Object.keys(state.events).length,
      sessions: Object.keys(state.sessions).length,
      contacts: Object.keys(state.contacts).length,
    };
    counts.set(state, c);
  }
  return c;
}

/** Notes one more row in a table (call right after adding it). */
export function counted(state: LabState, table: keyof TableCounts): void {
  const c = counts.get(state);
  if (c) c[table]++; // not counted yet: the first countsOf counts it with the rest
}

/** Forgets the counts (the state was emptied or replaced in place). */
export function dropCounts(state: LabState): void {
  counts.delete(state);
}

/** Notes rows removed from tables (forgotten visits). */
export function uncounted(state: LabState, removed: Partial<TableCounts>): void {
  const c = counts.get(state);
  if (!c) return;
  for (const [table, n] of Object.entries(removed) as [keyof TableCounts, number][]) c[table] -= n;
}
