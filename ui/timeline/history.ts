// Stories from the History API (the companion's web app): a visit's stored events become
// moments; each carries the visit's state right after it (visitorState -> stateAfter), and
// the page resources give page views their titles and urls.
import type { StoredEvent } from '../../protocol/events';
import type { IdentityResource, PageResource, VisitResource } from '../../protocol/resources';
import type { Moment, Story } from './story';

/** Events in the order they happened; the companion's receipt order breaks ties. */
const byTime = (a: StoredEvent, b: StoredEvent) => a.timestamp - b.timestamp || a.serverTimestamp - b.serverTimestamp;

/**
 * A visit's story from `GET /visits/{id}` (with or without details), its events
 * (`/visits/{id}/events`, or the visit's embedded `events`) and its pages (`/visits/{id}/pages`,
 * or the embedded `pages`). Events of other visits are left out.
 */
export function storyFromHistory(visit: VisitResource, events?: StoredEvent[], pages?: PageResource[]): Story {
  const own = (events ?? visit.events ?? []).filter((e) => e.visitID === visit.visitId).sort(byTime);
  const pageOf = new Map<string, PageResource>();
  for (const p of pages ?? visit.pages ?? []) if (p.visitId === visit.visitId) pageOf.set(p.browserPageID, p);
  const moments: Moment[] = own.map((e) => {
    const pageID = e.browserPageID ?? e.pageID ?? null;
    const page = pageID === null ? undefined : pageOf.get(pageID);
    return {
      key: e.eventID,
      at: e.timestamp,
      pageID,
      url: page?.url ?? e.url ?? null,
      title: page?.title ?? null,
      event: e,
      stateAfter: e.visitorState,
    };
  });
  return {
    visitID: visit.visitId,
    globalVisitID: visit.globalVisitID,
    moments,
    endedAt: visit.endDate > 0 ? visit.endDate : undefined,
    visitorState: visit.visitorState,
  };
}

/**
 * An identity's visits as stories, oldest first, for one time axis (IdentityTimeline): from
 * `GET /identities/{id}?include_visits_detail=true` (or its visits passed alone), the identity's
 * events (`/identities/{id}/events`) and pages (`/identities/{id}/pages`), split by visit.
 */
export function identityStories(
  identity: Pick<IdentityResource, 'visits'> | null,
  events: StoredEvent[],
  pages?: PageResource[],
  visits?: VisitResource[],
): Story[] {
  const all = visits ?? identity?.visits ?? [];
  return [...all]
    .sort((a, b) => a.startDate - b.startDate)
    .map((v) => storyFromHistory(v, events.filter((e) => e.visitID === v.visitId), pages?.filter((p) => p.visitId === v.visitId)));
}
