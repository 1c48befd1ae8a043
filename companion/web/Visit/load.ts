// A visit's story from the History API: the visit with its events embedded (one request), and
// its pages beside it. A visit too large for one answer (the History API's response bound)
// is read the GWE way instead: its events a page of 1,000 at a time.
import type { StoredEvent } from '../../../protocol/events';
import type { PageResource, VisitResource } from '../../../protocol/resources';
import { ApiError, getAll, getJson, q } from '../shared/api';

export interface VisitData {
  visit: VisitResource;
  pages: PageResource[];
  events: StoredEvent[];
}

async function visitWithEvents(base: string, signal: AbortSignal): Promise<{ visit: VisitResource; events: StoredEvent[] }> {
  try {
    const visit = (await getJson<VisitResource>(`${base}?include_events_detail=true`, signal)).body!;
    return { visit, events: visit.events ?? [] };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 400 && e.field === 'include_events_detail')) throw e;
    const [visit, events] = await Promise.all([getJson<VisitResource>(base, signal).then((r) => r.body!), getAll<StoredEvent>(`${base}/events`, signal)]);
    return { visit, events };
  }
}

export async function loadVisit(visitId: string, signal: AbortSignal): Promise<VisitData> {
  const base = `/server/data/visits/${q(visitId)}`;
  const [{ visit, events }, pages] = await Promise.all([visitWithEvents(base, signal), getAll<PageResource>(`${base}/pages`, signal)]);
  return { visit, pages, events };
}
