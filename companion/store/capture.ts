// A snapshot of the state at one journal sequence number, taken in a moment and written out
// while intake and reads go on. Taking it copies each record shallowly and notes the length of
// its id lists: the engine only ever appends to those lists (and a reset replaces whole
// records), so the first `n` ids are the list as it was. Serialising the whole state in one
// go blocked the server for seconds at a million events; this costs a pass over the records.
import type { Contact } from '../../protocol';
import type { EngineConfig, IdentityRecord, LabState, PageRecord, SessionRecord, VisitRecord } from '../engine';

type Lengths<K extends string> = Record<K, number>;

export interface CapturedState {
  seq: number;
  config: EngineConfig | undefined;
  visits: { rec: VisitRecord; n: Lengths<'eventIds' | 'pageIds'> }[];
  pages: { rec: PageRecord; n: Lengths<'eventIds'> }[];
  identities: { rec: IdentityRecord; n: Lengths<'visitIds'> }[];
  sessions: SessionRecord[];
  /** upsertContact replaces a contact whole, so the objects themselves do not change. */
  contacts: Contact[];
}

export function captureState(state: LabState): CapturedState {
  return {
    seq: state.seq,
    config: state.config,
    visits: state.visitOrder.map((id) => {
      const v = state.visits[id];
      const rec: VisitRecord = { ...v, identities: v.identities.map((l) => ({ ...l })) };
      if (v.unpaged) rec.unpaged = Object.fromEntries(Object.entries(v.unpaged).map(([k, ids]) => [k, ids.slice()]));
      return { rec, n: { eventIds: v.eventIds.length, pageIds: v.pageIds.length } };
    }),
    pages: Object.values(state.pages).map((p) => ({ rec: { ...p }, n: { eventIds: p.eventIds.length } })),
    identities: state.identityOrder.map((id) => {
      const i = state.identities[id];
      return { rec: { ...i, profile: { ...i.profile } }, n: { visitIds: i.visitIds.length } };
    }),
    sessions: Object.values(state.sessions).map((s) => ({ ...s })),
    contacts: Object.values(state.contacts),
  };
}

/** The captured record as JSON, its id lists cut back to their length at capture. */
export function recordJson<T extends object>(rec: T, n: Partial<Record<keyof T & string, number>>): string {
  const out = { ...rec } as Record<string, unknown>;
  for (const [key, len] of Object.entries(n) as [string, number][]) out[key] = (out[key] as unknown[]).slice(0, len);
  return JSON.stringify(out);
}
