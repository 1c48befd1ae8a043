// Pages: every PageEntered makes a new page resource (a return to a URL is a new page);
// PageExited closes it. The page resource's id is scoped by visit, since browsers only
// promise a pageID unique per page view, and hand-written test events reuse them.
// Events that name the page before it exists (VisitStarted on the first page, anything that
// overtook its PageEntered) join it when it is made.
import type { GtEvent } from '../../protocol';
import { counted } from './counts';
import { eventOf, own, type LabState, type PageRecord, type VisitRecord } from './state';
import { eventTime } from './visitor-state';

/** `visitId:browserPageID`, each part URI-encoded so that no two pairs give the same id. */
export function pageIdOf(visitId: string, browserPageID: string): string {
  return `${encodeURIComponent(visitId)}:${encodeURIComponent(browserPageID)}`;
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

const unpagedKey = (browserPageID: string) => `p:${browserPageID}`;

/** Notes an event whose page does not exist yet, for the page to take when it is made. */
export function holdForPage(visit: VisitRecord, browserPageID: string, eventID: string): void {
  const key = unpagedKey(browserPageID);
  const unpaged = (visit.unpaged ??= {});
  (own(unpaged, key) ?? (unpaged[key] = [])).push(eventID);
}

/** The events held for this page, in the order they were applied (and forgets them). */
function takeUnpaged(visit: VisitRecord, browserPageID: string): string[] {
  const key = unpagedKey(browserPageID);
  const held = visit.unpaged ? own(visit.unpaged, key) : undefined;
  if (!held) return [];
  delete visit.unpaged![key];
  if (Object.keys(visit.unpaged!).length === 0) delete visit.unpaged;
  return held;
}

/**
 * Rebuilds `unpaged` for data stored before it existed (snapshot format 2): the events of a
 * visit that no page lists, parsed to read their page id. Once, at load.
 */
export function rebuildUnpaged(state: LabState): void {
  for (const visitId of state.visitOrder) {
    const visit = state.visits[visitId];
    if (visit.unpaged) continue;
    const paged = new Set<string>();
    for (const pageId of visit.pageIds) for (const id of state.pages[pageId].eventIds) paged.add(id);
    for (const id of visit.eventIds) {
      if (paged.has(id)) continue;
      const pageID = eventOf(state, id).pageID;
      if (pageID !== undefined) holdForPage(visit, pageID, id);
    }
  }
}

function ensurePage(state: LabState, visit: VisitRecord, browserPageID: string, at: number): PageRecord {
  const pageId = pageIdOf(visit.visitId, browserPageID);
  const existing = own(state.pages, pageId);
  if (existing) return existing;
  const page: PageRecord = {
    pageId,
    browserPageID,
    visitId: visit.visitId,
    url: null,
    title: null,
    referrer: null,
    category: null,
    startDate: at,
    endDate: 0,
    entered: false,
    eventIds: takeUnpaged(visit, browserPageID),
  };
  state.pages[pageId] = page;
  counted(state, 'pages');
  visit.pageIds.push(pageId);
  return page;
}

export function enterPage(state: LabState, visit: VisitRecord, ev: GtEvent): PageRecord {
  const page = ensurePage(state, visit, ev.pageID!, eventTime(ev));
  // Out of order: a PageExited seen first made the page; the PageEntered now fills it in.
  page.entered = true;
  page.startDate = Math.min(page.startDate, eventTime(ev));
  page.url = ev.url ?? page.url;
  page.title = str(ev.data?.title) ?? page.title;
  page.referrer = str(ev.data?.referrer) ?? page.referrer;
  page.category = ev.category ?? page.category;
  return page;
}

export function exitPage(state: LabState, visit: VisitRecord, ev: GtEvent): PageRecord {
  const page = ensurePage(state, visit, ev.pageID!, eventTime(ev));
  if (page.url === null && ev.url) page.url = ev.url;
  page.endDate = Math.max(page.endDate, eventTime(ev));
  return page;
}

/** The page an ordinary event happened on, when the page is known. */
export function pageOfEvent(state: LabState, visit: VisitRecord, ev: GtEvent): PageRecord | undefined {
  if (ev.pageID === undefined) return undefined;
  return own(state.pages, pageIdOf(visit.visitId, ev.pageID));
}
