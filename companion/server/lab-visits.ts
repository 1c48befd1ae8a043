// Lab API additions for the companion's web app: the visits list newest first with the filters a
// tester reaches for (visitor state, identity, url), and a change counter the app polls to stay
// live. The History API lists visits oldest first and cannot filter on these.
import { Router } from 'express';
import { canonicalIdentityId, type VisitorState } from '../../protocol';
import { endDateOf, isExpired, own, visitorStateOf, type LabState, type VisitRecord } from '../engine';
import type { LabStore } from '../store/lab-store';
import { badRequest } from './errors';
import { SCAN_LIMIT } from './history/paging';
import { DEFAULT_PAGE_SIZE, PAGING, parseQuery, type Spec } from './history/query';

const STATES = ['Anonymous', 'Recognized', 'Authenticated'] as const;
export const VISITS_SPEC: Spec = { ...PAGING, visitorState: STATES, identityId: 'text', url: 'text' };

/** A page's url and title, as the list shows where a visit began and where it is now. */
export interface LabPageRef {
  url: string | null;
  title: string | null;
}

/** One row of GET /lab/visits: what the list shows, without the visit's lists. */
export interface LabVisitSummary {
  visitId: string;
  globalVisitID: string;
  startDate: number;
  /** 0 while open, as the History API's. */
  endDate: number;
  lastActivity: number;
  visitorState: VisitorState;
  activeSessionId: string | null;
  identityIds: string[];
  userAgent: string | null;
  pageCount: number;
  eventCount: number;
  firstPage: LabPageRef | null;
  lastPage: LabPageRef | null;
}

function pageRef(state: LabState, pageId: string | undefined): LabPageRef | null {
  const page = pageId === undefined ? undefined : state.pages[pageId];
  return page ? { url: page.url, title: page.title } : null;
}

function summary(state: LabState, visit: VisitRecord, now: number, config: LabStore["config"]): LabVisitSummary {
  return {
    visitId: visit.visitId,
    globalVisitID: visit.globalVisitID,
    startDate: visit.startDate,
    endDate: endDateOf(visit, now, config),
    lastActivity: visit.lastActivity,
    visitorState: visitorStateOf(visit, now, config),
    activeSessionId: isExpired(visit, now, config) ? null : visit.activeSessionId,
    identityIds: visit.identities.map((l) => l.identityId),
    userAgent: visit.userAgent,
    pageCount: visit.pageIds.length,
    eventCount: visit.eventIds.length,
    firstPage: pageRef(state, visit.pageIds[0]),
    lastPage: pageRef(state, visit.pageIds.at(-1)),
  };
}

const keyOf = (index: number, visitId: string) => Buffer.from(`${index}:${visitId}`, 'utf8').toString('base64url');

/**
 * Where the walk goes on after `key`: the index it names, if the list holds that visit there
 * (lists are only appended to, so a key stays right while visits arrive), else a 400.
 */
function keyIndex(list: readonly string[], key: string): number {
  const decoded = /^[A-Za-z0-9_-]+$/.test(key) ? Buffer.from(key, 'base64url').toString('utf8') : '';
  const m = /^(\d+):([\s\S]+)$/.exec(decoded);
  if (!m) throw badRequest('page_key', 'is not a key this API gave (take it from the Paging-Next header)');
  const index = Number(m[1]);
  if (!Number.isSafeInteger(index) || list[index] !== m[2]) {
    throw badRequest('page_key', 'points at no visit of this list (a key of another request, or the data was reset since)');
  }
  return index;
}

export interface NewestPage {
  visits: VisitRecord[];
  next: string | null;
}

/**
 * The page of visits `keep` accepts, newest first (from the end of `list`), after the key's
 * visit. Each visit looked at costs 1 plus what `keep` says it cost (the pages a url filter
 * read); past `limit` the page ends where it stopped, with a key to go on from there.
 */
export function newestFirst(
  list: readonly string[],
  get: (id: string) => VisitRecord,
  keep: (v: VisitRecord) => { ok: boolean; cost: number },
  size: number,
  key: string | undefined,
  limit = SCAN_LIMIT,
): NewestPage {
  const start = key === undefined ? list.length - 1 : keyIndex(list, key) - 1;
  const visits: VisitRecord[] = [];
  let last = -1;
  let work = 0;
  for (let i = start; i >= 0; i--) {
    const visit = get(list[i]);
    const judged = keep(visit);
    work += 1 + judged.cost;
    if (judged.ok) {
      if (visits.length === size) return { visits, next: keyOf(last, list[last]) };
      visits.push(visit);
      last = i;
    }
    // Stopped here: the next page starts after this visit, whether it matched or not.
    if (work >= limit && i > 0) return { visits, next: keyOf(i, list[i]) };
  }
  return { visits, next: null };
}

function visitKeep(state: LabState, q: Record<string, unknown>, now: number, config: LabStore["config"]) {
  const wanted = q.visitorState as VisitorState | undefined;
  const url = q.url as string | undefined;
  return (visit: VisitRecord) => {
    if (wanted !== undefined && visitorStateOf(visit, now, config) !== wanted) return { ok: false, cost: 0 };
    if (url === undefined) return { ok: true, cost: 0 };
    let cost = 0;
    for (const pageId of visit.pageIds) {
      cost++;
      if ((state.pages[pageId]?.url ?? '').includes(url)) return { ok: true, cost };
    }
    return { ok: false, cost };
  };
}

export function labVisitsRouter(store: LabStore): Router {
  const router = Router();

  // Newest first (the order the companion first heard of each visit, reversed). With
  // identityId, that identity's visits alone, newest link first, read from its own list.
  router.get('/visits', async (req, res) => {
    const q = parseQuery(req.query as Record<string, unknown>, VISITS_SPEC);
    const lists = { visitPages: true, visitEvents: 'ids' } as const;
    const state = await store.read(q.identityId !== undefined ? { identities: [q.identityId as string], identityVisits: true, ...lists } : { allVisits: true, ...lists });
    const now = Date.now();
    let list: readonly string[] = state.visitOrder;
    if (q.identityId !== undefined) {
      const id = q.identityId as string;
      const identity = own(state.identities, id) ?? own(state.identities, canonicalIdentityId(id));
      list = identity ? identity.visitIds : [];
    }
    const size = (q.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE;
    const page = newestFirst(list, (id) => state.visits[id], visitKeep(state, q, now, store.config), size, q.page_key as string | undefined);
    if (page.next) res.setHeader('Paging-Next', page.next);
    res.json(page.visits.map((v) => summary(state, v, now, store.config)));
  });

  // The app polls this (cheap: a few numbers) and refetches only when what it shows moved.
  // Every stored change (events, contacts, a reset) takes the journal's sequence number one
  // further; with visitId, the visit's own counts and state say whether that visit changed, so
  // a page showing a big visit does not reread it for every event of another.
  router.get('/changes', async (req, res) => {
    const q = parseQuery(req.query as Record<string, unknown>, { visitId: 'text' });
    const body: Record<string, unknown> = { ...(await store.changes()) };
    if (q.visitId !== undefined) {
      const state = await store.read({ visits: [q.visitId as string], visitEvents: 'ids' });
      const visit = own(state.visits, q.visitId as string);
      const now = Date.now();
      body.visit = visit
        ? { events: visit.eventIds.length, pages: visit.pageIds.length, visitorState: visitorStateOf(visit, now, store.config), endDate: endDateOf(visit, now, store.config) }
        : null;
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json(body);
  });
  return router;
}
