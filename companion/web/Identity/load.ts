// An identity from the History API: itself (profile), its visits and all their events.
import type { StoredEvent } from '../../../protocol/events';
import type { IdentityResource, PageResource, VisitResource } from '../../../protocol/resources';
import { getAll, getJson, q } from '../shared/api';

export interface IdentityData {
  identity: IdentityResource;
  visits: VisitResource[];
  events: StoredEvent[];
  pages: PageResource[];
}

export async function loadIdentity(identityId: string, signal: AbortSignal): Promise<IdentityData> {
  const base = `/server/data/identities/${q(identityId)}`;
  const [identity, visits, events, pages] = await Promise.all([
    getJson<IdentityResource[]>(base, signal).then((r) => r.body![0]),
    getAll<VisitResource>(`${base}/visits`, signal),
    getAll<StoredEvent>(`${base}/events`, signal),
    getAll<PageResource>(`${base}/pages`, signal),
  ]);
  return { identity, visits, events, pages };
}

/** Where a visit's state changed: the event after which the stored visitorState differs. */
export interface StateChange {
  visitId: string;
  at: number;
  from: StoredEvent['visitorState'] | null;
  to: StoredEvent['visitorState'];
  event: StoredEvent;
}

/** Each visit's state changes in event order (the first event of a visit gives its first state). */
export function stateChanges(events: StoredEvent[]): StateChange[] {
  const last = new Map<string, StoredEvent['visitorState']>();
  const out: StateChange[] = [];
  for (const e of events) {
    const before = last.get(e.visitID) ?? null;
    if (before !== e.visitorState) out.push({ visitId: e.visitID, at: e.timestamp, from: before, to: e.visitorState, event: e });
    last.set(e.visitID, e.visitorState);
  }
  return out;
}
