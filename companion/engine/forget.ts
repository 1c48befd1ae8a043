// Forgetting visits whole: their events, pages and sessions, the identities' links to them
// (an identity left with no visit goes too), and the runs' references to them. Contacts stay:
// they are the directory's, not the visits'. Used by POST /lab/reset?run= (and meant for
// retention). The id lists that lose entries are replaced, never changed in place: a snapshot
// being written holds the old lists and relies on their first n ids never changing.
import { uncounted } from './counts';
import { forgetInRuns } from './runs';
import { own, type IdentityRecord, type LabState } from './state';

export interface Forgotten {
  visits: number;
  events: number;
}

/**
 * The identity's scope was set by its latest transition, which may have been in a forgotten
 * visit: it is now the latest of those left (the visits keep each link's scope and time).
 */
function rescope(state: LabState, identity: IdentityRecord): void {
  let latest: { scope: IdentityRecord['visitScope']; since: number } | null = null;
  for (const visitId of identity.visitIds) {
    const link = state.visits[visitId]?.identities.find((l) => l.identityId === identity.identityId);
    if (link && (!latest || link.since >= latest.since)) latest = link;
  }
  if (latest) {
    identity.visitScope = latest.scope;
    identity.since = latest.since;
  }
}

export function forgetVisits(state: LabState, visitIds: readonly string[]): Forgotten {
  const gone = new Set(visitIds.filter((id) => own(state.visits, id)));
  if (gone.size === 0) return { visits: 0, events: 0 };
  const identities = new Set<string>();
  let events = 0;
  let pages = 0;
  for (const visitId of gone) {
    const visit = state.visits[visitId];
    // Every event of a visit is in its eventIds (held ones too, until their page comes).
    for (const id of visit.eventIds) if (own(state.events, id) && delete state.events[id]) events++;
    for (const id of visit.pageIds) if (own(state.pages, id) && delete state.pages[id]) pages++;
    for (const link of visit.identities) identities.add(link.identityId);
    delete state.visits[visitId];
  }
  state.visitOrder = state.visitOrder.filter((id) => !gone.has(id));
  let sessions = 0;
  for (const [id, s] of Object.entries(state.sessions)) if (gone.has(s.visitId) && delete state.sessions[id]) sessions++;
  const emptied = new Set<string>();
  for (const identityId of identities) {
    const identity = own(state.identities, identityId);
    if (!identity) continue;
    identity.visitIds = identity.visitIds.filter((id) => !gone.has(id));
    if (identity.visitIds.length === 0) {
      delete state.identities[identityId];
      emptied.add(identityId);
    } else {
      rescope(state, identity);
    }
  }
  if (emptied.size) state.identityOrder = state.identityOrder.filter((id) => !emptied.has(id));
  forgetInRuns(state, gone);
  uncounted(state, { events, pages, sessions });
  return { visits: gone.size, events };
}
