// A visit's story from the History API: the visit, then its pages and events (every page of
// them, 1,000 at a time, the two lists fetched side by side).
import type { StoredEvent } from '../../../protocol/events';
import type { PageResource, VisitResource } from '../../../protocol/resources';
import { getAll, getJson, q } from '../shared/api';

export interface VisitData {
  visit: VisitResource;
  pages: PageResource[];
  events: StoredEvent[];
}

export async function loadVisit(visitId: string, signal: AbortSignal): Promise<VisitData> {
  const base = `/server/data/visits/${q(visitId)}`;
  const [visit, pages, events] = await Promise.all([
    getJson<VisitResource>(base, signal).then((r) => r.body!),
    getAll<PageResource>(`${base}/pages`, signal),
    getAll<StoredEvent>(`${base}/events`, signal),
  ]);
  return { visit, pages, events };
}
