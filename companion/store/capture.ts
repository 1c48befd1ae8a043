// A snapshot of the state at one journal sequence number, taken in a moment and written out
// while intake and reads go on. Taking it copies each record shallowly and notes the length of
// its id lists: the engine only ever appends to those lists (and a reset replaces whole
// records), so the first `n` ids are the list as it was. Serialising the whole state in one
// go blocked the server for seconds at a million events; this costs a pass over the records,
// made a slice at a time.
import type { Contact } from '../../protocol';
import type { Category } from '../categories/definitions';
import type { EngineConfig, IdentityRecord, LabState, PageRecord, RunRecord, SessionRecord, VisitRecord } from '../engine';

type Lengths<K extends string> = Record<K, number>;

export interface CapturedState {
  seq: number;
  config: EngineConfig | undefined;
  categories: Category[] | undefined;
  visits: { rec: VisitRecord; n: Lengths<'eventIds' | 'pageIds'> }[];
  pages: { rec: PageRecord; n: Lengths<'eventIds'> }[];
  identities: { rec: IdentityRecord; n: Lengths<'visitIds'> }[];
  sessions: SessionRecord[];
  /** upsertContact replaces a contact whole, so the objects themselves do not change. */
  contacts: Contact[];
  runs: { rec: RunRecord; n: Partial<Lengths<'eventIds' | 'visitIds' | 'problems' | 'checks' | 'captured'>> }[];
  activeRunId: string | null;
}

const captureVisit = (v: VisitRecord) => {
  const rec: VisitRecord = { ...v, identities: v.identities.map((l) => ({ ...l })) };
  if (v.unpaged) rec.unpaged = Object.fromEntries(Object.entries(v.unpaged).map(([k, ids]) => [k, ids.slice()]));
  return { rec, n: { eventIds: v.eventIds.length, pageIds: v.pageIds.length } };
};
const capturePage = (p: PageRecord) => ({ rec: { ...p }, n: { eventIds: p.eventIds.length } });
// A run's counts are numbers (copied by the spread); its lists are appended to, or replaced whole by a forget.
const captureRun = (r: RunRecord) => ({
  rec: { ...r },
  n: { eventIds: r.eventIds.length, visitIds: r.visitIds.length, problems: r.problems.length, checks: r.checks.length, ...(r.captured ? { captured: r.captured.length } : {}) },
});
const captureIdentity = (i: IdentityRecord) => ({ rec: { ...i, profile: { ...i.profile } }, n: { visitIds: i.visitIds.length } });

/** The state as it is now, in one go (tests; a snapshot takes it in slices: captureStateInSlices). */
export function captureState(state: LabState): CapturedState {
  return {
    seq: state.seq,
    config: state.config,
    categories: state.categories,
    visits: state.visitOrder.map((id) => captureVisit(state.visits[id])),
    pages: Object.values(state.pages).map(capturePage),
    identities: state.identityOrder.map((id) => captureIdentity(state.identities[id])),
    sessions: Object.values(state.sessions).map((s) => ({ ...s })),
    contacts: Object.values(state.contacts),
    runs: Object.values(state.runs ?? {}).map(captureRun),
    activeRunId: state.activeRunId ?? null,
  };
}

/**
 * The state as it is now, copied a slice of records at a time with a turn of the event loop
 * between slices, so reads go on meanwhile (one pass took 110-150 ms at a million events).
 * The caller must keep anything from changing the state until it resolves: the store calls
 * it from its flush loop, the only place that applies operations, so intake waits and reads
 * do not.
 */
export async function captureStateInSlices(state: LabState, slice = 2000): Promise<CapturedState> {
  const seq = state.seq;
  const turn = () => new Promise<void>((r) => setImmediate(r));
  async function each<A, T>(list: readonly A[], copy: (a: A) => T): Promise<T[]> {
    const out: T[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      out[i] = copy(list[i]);
      if (i % slice === slice - 1) await turn();
    }
    return out;
  }
  const captured: CapturedState = {
    seq,
    config: state.config,
    categories: state.categories,
    visits: await each(state.visitOrder, (id) => captureVisit(state.visits[id])),
    pages: await each(Object.keys(state.pages), (id) => capturePage(state.pages[id])),
    identities: await each(state.identityOrder, (id) => captureIdentity(state.identities[id])),
    sessions: await each(Object.keys(state.sessions), (id) => ({ ...state.sessions[id] })),
    contacts: Object.values(state.contacts),
    runs: Object.values(state.runs ?? {}).map(captureRun), // few: no slicing needed
    activeRunId: state.activeRunId ?? null,
  };
  if (state.seq !== seq) throw new Error('the state changed while it was captured');
  return captured;
}

/** The captured record as JSON, its id lists cut back to their length at capture. */
export function recordJson<T extends object>(rec: T, n: Partial<Record<keyof T & string, number>>): string {
  const out = { ...rec } as Record<string, unknown>;
  for (const [key, len] of Object.entries(n) as [string, number][]) out[key] = (out[key] as unknown[]).slice(0, len);
  return JSON.stringify(out);
}
