// Lab API additions for the companion's web app: the visits list newest first with the filters a
// tester reaches for (visitor state, identity, url), and a change counter the app polls to stay
// live. The History API lists visits oldest first and cannot filter on these.
import { Router } from 'express';
import { canonicalIdentityId, type VisitorState } from '../../protocol';
import { endDateOf, isExpired, own, visitorStateOf, type LabState, type VisitRecord } from '../engine';
import type { LabStore, Placed } from '../store/lab-store';
import { keyIndex as keyPos } from './history/paging';
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

const keyOf = (e: Placed) => Buffer.from(`${e.pos}:${e.id}`, 'utf8').toString('base64url');

/**
 * Where the walk goes on after `key`: just after the entry it names, if the stretch holds that
 * visit at that position (positions do not move while visits arrive), else a 400.
 */
function keyEntry(entries: readonly Placed[], key: string): number {
  const decoded = /^[A-Za-z0-9_-]+$/.test(key) ? Buffer.from(key, 'base64url').toString('utf8') : '';
  const m = /^(\d+):([\s\S]+)$/.exec(decoded);
  if (!m) throw badRequest('page_key', 'is not a key this API gave (take it from the Paging-Next header)');
  const pos = Number(m[1]);
  const i = Number.isSafeInteger(pos) ? entries.findIndex((e) => e.pos === pos) : -1;
  if (i < 0 || entries[i].id !== m[2]) throw badRequest('page_key', 'points at no visit of this list (a key of another request, or the data was reset since)');
  return i;
}

/** A list's entries newest first (its last id first), at their indices in it. */
export const newestEntriesOf = (list: readonly string[]): Placed[] => list.map((id, pos) => ({ pos, id })).reverse();

export interface NewestPage {
  visits: VisitRecord[];
  next: string | null;
}

/**
 * The page of visits `keep` accepts from `entries` (newest first), after the key's visit. Each
 * visit looked at costs 1 plus what `keep` says it cost (the pages a url filter read); past
 * `limit` the page ends where it stopped, with a key to go on from there. `more`: the entries
 * are a stretch the store read and more may follow them.
 */
export function newestFirst(
  entries: readonly Placed[],
  get: (id: string) => VisitRecord | undefined,
  keep: (v: VisitRecord) => { ok: boolean; cost: number },
  size: number,
  key: string | undefined,
  limit = SCAN_LIMIT,
  more = false,
): NewestPage {
  const start = key === undefined ? 0 : keyEntry(entries, key) + 1;
  const visits: VisitRecord[] = [];
  let last = -1;
  let work = 0;
  for (let i = start; i < entries.length; i++) {
    const visit = get(entries[i].id);
    if (!visit) continue; // forgotten since the stretch was read
    const judged = keep(visit);
    work += 1 + judged.cost;
    if (judged.ok) {
      if (visits.length === size) return { visits, next: keyOf(entries[last]) };
      visits.push(visit);
      last = i;
    }
    // Stopped here: the next page starts after this visit, whether it matched or not.
    if (work >= limit && i < entries.length - 1) return { visits, next: keyOf(entries[i]) };
  }
  return { visits, next: more && entries.length > start ? keyOf(entries[entries.length - 1]) : null };
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
    const size = (q.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE;
    const key = q.page_key as string | undefined;
    let entries: Placed[];
    let state: LabState;
    let more = false;
    if (q.identityId !== undefined) {
      // An identity's own list, read whole (one person's visits).
      const id = q.identityId as string;
      state = await store.read({ identities: [id], identityVisits: true, visitPages: true });
      const identity = own(state.identities, id) ?? own(state.identities, canonicalIdentityId(id));
      entries = newestEntriesOf(identity ? identity.visitIds : []);
    } else {
      // A stretch of all visits: the page and one more, or as far as a filter may scan.
      const count = q.visitorState !== undefined || q.url !== undefined ? SCAN_LIMIT : size + 1;
      entries = await store.window({ list: 'visits', after: key === undefined ? null : keyPos(key), count, newestFirst: true });
      more = entries.length >= count + (key === undefined ? 0 : 1);
      state = await store.read({ visits: entries.map((e) => e.id), visitPages: true });
    }
    const now = Date.now();
    const page = newestFirst(entries, (id) => own(state.visits, id), visitKeep(state, q, now, store.config), size, key, SCAN_LIMIT, more);
    // The page's visits with their events counted (a store that reads parts reads their ids now).
    const counted = await store.read({ visits: page.visits.map((v) => v.visitId), visitPages: true, visitEvents: 'ids' });
    if (page.next) res.setHeader('Paging-Next', page.next);
    res.json(page.visits.map((v) => summary(counted, own(counted.visits, v.visitId) ?? v, now, store.config)));
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
