// The History REST API (contract section 4) under /server/data.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { canonicalIdentityId, problemOf, VisitInputSchema, withoutServerFields } from '../../../protocol';
import { eventOf, own, type IdentityRecord, type LabState, type PageRecord, type VisitIdentityLink, type VisitRecord } from '../../engine';
import type { LabStore, Need, Placed, Window } from '../../store/lab-store';
import { jsonBody } from '../body';
import { badRequest, HttpError, notFound } from '../errors';
import { eventItems, ingest, sendIntake } from '../intake';
import { Budget, maxResponseChars } from './budget';
import { eventFilter, identityFilter, pageFilter, visitFilter } from './filters';
import { positionsOfName, positionsSource } from './name-index';
import { arraySource, keyIndex, nestedSource, SCAN_LIMIT, windowSource } from './paging';
import { DEFAULT_PAGE_SIZE, ignoredHeader, IGNORED_HEADER, includeSpec, PAGING, parseQuery, type Parsed, type Spec } from './query';
import { sendCollection, sendOne, type ListPath } from './respond';
import { eventText, identityText, pageText, visitText, visitsOfIdentity, type ViewContext } from './views';

export const VISIT_INC = includeSpec('pages', 'events');
export const IDENTITY_INC = includeSpec('visits', 'pages', 'events');
export const PAGE_INC = includeSpec('events');
export const EVENT_FILTERS: Spec = { age: 'age', eventName: 'text', eventType: ['SYSTEM', 'BUSINESS'], category: 'text', url: 'text' };
export const PAGE_FILTERS: Spec = { age: 'age', url: 'text', title: 'text', category: 'text' };
export const VISIT_FILTERS: Spec = { age: 'age', globalVisitID: 'text', userAgent: 'text' };

const DATA = '/server/data';
/** Where the lists of one visit or identity are read with paging (named in the too-large answer). */
const visitLists = (visitId: string): ListPath => (kind) => `${DATA}/visits/${encodeURIComponent(visitId)}/${kind}`;
const pageLists = (pageId: string): ListPath => (kind) => `${DATA}/pages/${encodeURIComponent(pageId)}/${kind}`;
const identityLists = (identityId: string): ListPath => (kind) => `${DATA}/identities/${encodeURIComponent(identityId)}/${kind}`;
const ANY_VISIT = (kind: string) => `${DATA}/visits/{visitId}/${kind}`;
const ANY_IDENTITY = (kind: string) => `${DATA}/identities/{identityId}/${kind}`;

/**
 * The request's parameters of `spec`; unknown ones (a GWE client's cache-buster `_=`) are
 * ignored and named in the X-Ignored-Parameters header, on every History route.
 */
function queryOf(req: Request, res: Response, spec: Spec): Parsed {
  const ignored: string[] = [];
  const q = parseQuery(req.query as Record<string, unknown>, spec, ignored);
  // GWE takes include_X_detail only with include_X=true: beside include_X=false it does nothing.
  for (const kind of ['visits', 'pages', 'events']) {
    if (q[`include_${kind}_detail`] === true && q[`include_${kind}`] === false) ignored.push(`include_${kind}_detail`);
  }
  const header = ignoredHeader(ignored);
  if (header !== null) res.setHeader(IGNORED_HEADER, header);
  return q;
}

/**
 * What an answer's include flags make it read: the visits' pages, and their events' ids or texts.
 * (A store that loads parts of the state loads these; the embedded store has them all.)
 */
function included(q: Parsed, base: Need): Need {
  const on = (kind: string) => q[`include_${kind}`] === true || q[`include_${kind}_detail`] === true;
  const events = q.include_events_detail === true ? 'texts' : on('events') ? 'ids' : base.visitEvents;
  return { ...base, visitPages: base.visitPages || on('pages'), ...(events ? { visitEvents: events } : {}), identityVisits: base.identityVisits || on('visits') || on('pages') || on('events') };
}

/**
 * The stretch of a collection a page of it reads (LabStore.window): the page and one more, or
 * SCAN_LIMIT entries when a filter the store does not apply may skip some (`skips`), and one
 * entry past the scan, so a page that stops at it knows more follow and gives a key. `scan` is
 * the page's scan limit.
 */
async function stretch(store: LabStore, q: Parsed, w: Omit<Window, 'after' | 'count'>, skips: boolean): Promise<{ entries: Placed[]; scan: number }> {
  const scan = skips ? SCAN_LIMIT : ((q.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE) + 1;
  // Where the page starts: its key's position (a bad key is pageOf's 400).
  const after = q.page_key === undefined ? null : keyIndex(q.page_key as string);
  return { entries: await store.window({ ...w, after, count: scan + 1 }), scan };
}

/** Whether any of the event filters is asked for. */
const filtersEvents = (q: Parsed) => Object.keys(EVENT_FILTERS).some((f) => q[f] !== undefined) || q.browserPageID !== undefined;

export function historyRouter(store: LabStore): Router {
  const router = Router();
  // Read once: a bad value stops the companion at start-up, not at the first read.
  const maxChars = maxResponseChars();
  /** The request's parameters, and the state holding what the answer reads (`need`, widened by its include flags). */
  const ctxOf = async (req: Request, res: Response, spec: Spec, need: (q: Parsed) => Need | Promise<Need>): Promise<ViewContext> => {
    const q = queryOf(req, res, spec);
    // The History API answers from records alone: no categories, no active run to read.
    const state = await store.read({ ...included(q, await need(q)), settings: false });
    return { state, config: store.config, now: Date.now(), q, budget: new Budget(maxChars) };
  };
  const visitOf = (state: LabState, req: Request): VisitRecord => {
    const visit = own(state.visits, String(req.params.visitId));
    if (!visit) throw notFound(`no visit ${req.params.visitId}`);
    return visit;
  };
  const identityOf = (state: LabState, req: Request): IdentityRecord => {
    // As typed (`PAT@shop.test`, full width) or as stored: identityIds are canonical (NFKC, an
    // email in lower case); the form as given first, for identities stored before they were.
    const id = String(req.params.identityId);
    const identity = own(state.identities, id) ?? own(state.identities, canonicalIdentityId(id));
    if (!identity) throw notFound(`no identity ${req.params.identityId}`);
    return identity;
  };
  const visitId = (req: Request) => [String(req.params.visitId)];
  const identityId = (req: Request) => [String(req.params.identityId)];

  // The collections are read a stretch at a time (stretch(), LabStore.window).
  router.get('/identities', async (req, res) => {
    let entries: Placed[] = [];
    let scan = SCAN_LIMIT;
    const ctx = await ctxOf(req, res, { ...IDENTITY_INC, ...PAGING, location: 'text', userAgent: 'text' }, async (q) => {
      ({ entries, scan } = await stretch(store, q, { list: 'identities' }, q.location !== undefined || q.userAgent !== undefined));
      return { identities: entries.map((e) => e.id), identityVisits: q.userAgent !== undefined };
    });
    const { state } = ctx;
    const keep = identityFilter(ctx.q, (i) => visitsOfIdentity(state, i));
    const source = windowSource(entries, (id) => own(state.identities, id));
    sendCollection(res, ctx, source, keep, (i) => i.identityId, (i) => identityText(ctx, i), ANY_IDENTITY, scan);
  });

  // GWE answers a single identity as a one-element array.
  router.get('/identities/:identityId', async (req, res) => {
    const ctx = await ctxOf(req, res, IDENTITY_INC, () => ({ identities: identityId(req) }));
    const identity = identityOf(ctx.state, req);
    sendOne(res, ctx, () => identityText(ctx, identity), identityLists(identity.identityId), true);
  });

  router.get('/identities/:identityId/visits', async (req, res) => {
    const ctx = await ctxOf(req, res, { ...VISIT_INC, ...PAGING, ...VISIT_FILTERS }, () => ({ identities: identityId(req), identityVisits: true }));
    const { state } = ctx;
    const source = arraySource(identityOf(state, req).visitIds, (id) => state.visits[id]);
    sendCollection(res, ctx, source, visitFilter(ctx.q, ctx.now), (v) => v.visitId, (v) => visitText(ctx, v), ANY_VISIT);
  });

  router.get('/identities/:identityId/pages', async (req, res) => {
    const ctx = await ctxOf(req, res, { ...PAGE_INC, ...PAGING, ...PAGE_FILTERS }, () => ({ identities: identityId(req), identityVisits: true, visitPages: true }));
    const { state } = ctx;
    const source = nestedSource(identityOf(state, req).visitIds, (id) => state.visits[id].pageIds, (id) => state.pages[id]);
    sendCollection(res, ctx, source, pageFilter(ctx.q, ctx.now), (p) => p.pageId, (p) => pageText(ctx, p), ANY_VISIT);
  });

  router.get('/identities/:identityId/events', async (req, res) => {
    const ctx = await ctxOf(req, res, { ...PAGING, ...EVENT_FILTERS, globalVisitID: 'text' }, () => ({ identities: identityId(req), identityVisits: true, visitEvents: 'texts' }));
    const { state } = ctx;
    const source = nestedSource(identityOf(state, req).visitIds, (id) => state.visits[id].eventIds, (id) => eventOf(state, id));
    const keep = eventFilter(ctx.q, ctx.now, (e) => state.visits[e.visitID]);
    sendCollection(res, ctx, source, keep, (e) => e.eventID, (e) => eventText(ctx, e), ANY_VISIT);
  });

  // Addition: all visits, newest last, so a tester can find a visit without knowing its id.
  router.get('/visits', async (req, res) => {
    let entries: Placed[] = [];
    let scan = SCAN_LIMIT;
    const ctx = await ctxOf(req, res, { ...VISIT_INC, ...PAGING, ...VISIT_FILTERS }, async (q) => {
      const storeFilters = q.age === undefined && q.globalVisitID === undefined ? true : store.windowFilters;
      // A little earlier than the filter's own `now`: the store's stretch holds all the filter keeps.
      const since = q.age === undefined ? undefined : Date.now() - (q.age as number) * 1000;
      const w = { list: 'visits', since, globalVisitID: q.globalVisitID as string | undefined } as const;
      ({ entries, scan } = await stretch(store, q, w, q.userAgent !== undefined || !storeFilters));
      return { visits: entries.map((e) => e.id) };
    });
    const source = windowSource(entries, (id) => own(ctx.state.visits, id));
    sendCollection(res, ctx, source, visitFilter(ctx.q, ctx.now), (v) => v.visitId, (v) => visitText(ctx, v), ANY_VISIT, scan);
  });

  router.get('/visits/:visitId', async (req, res) => {
    const ctx = await ctxOf(req, res, VISIT_INC, () => ({ visits: visitId(req) }));
    const visit = visitOf(ctx.state, req);
    sendOne(res, ctx, () => visitText(ctx, visit), visitLists(visit.visitId));
  });

  router.get('/visits/:visitId/pages', async (req, res) => {
    const ctx = await ctxOf(req, res, { ...PAGE_INC, ...PAGING, ...PAGE_FILTERS }, () => ({ visits: visitId(req), visitPages: true }));
    const { state } = ctx;
    const visit = visitOf(state, req);
    const source = arraySource(visit.pageIds, (id) => state.pages[id]);
    sendCollection(res, ctx, source, pageFilter(ctx.q, ctx.now), (p) => p.pageId, (p) => pageText(ctx, p), visitLists(visit.visitId));
  });

  router.get('/visits/:visitId/events', async (req, res) => {
    // By name, every event's name is read (the visit's name index). Else a stretch of the
    // visit's events (LabStore.window) and their texts alone: a page costs its size, however
    // many events the visit has.
    let entries: Placed[] | null = null;
    let scan = SCAN_LIMIT;
    const ctx = await ctxOf(req, res, { ...PAGING, ...EVENT_FILTERS, browserPageID: 'text' }, async (q) => {
      if (q.eventName !== undefined) return { visits: visitId(req), visitEvents: 'texts' };
      ({ entries, scan } = await stretch(store, q, { list: 'events', visitId: visitId(req)[0] }, filtersEvents(q)));
      return { visits: visitId(req), events: entries.map((e) => e.id) };
    });
    const { state } = ctx;
    const visit = visitOf(state, req);
    const get = (id: string) => eventOf(state, id);
    const name = ctx.q.eventName as string | undefined;
    const source =
      entries !== null ? windowSource(entries, (id) => (own(state.events, id) ? get(id) : undefined))
      : positionsSource(visit.eventIds, positionsOfName(state, visit, name!), get);
    const keep = eventFilter(ctx.q, ctx.now, () => visit);
    sendCollection(res, ctx, source, keep, (e) => e.eventID, (e) => eventText(ctx, e), visitLists(visit.visitId), scan);
  });

  // GWE 8.5.1's page routes: a page resource by its pageId (the `pageID` of its events).
  const pageOf = (state: LabState, req: Request): PageRecord => {
    const page = own(state.pages, String(req.params.pageId));
    if (!page) throw notFound(`no page ${req.params.pageId}`);
    return page;
  };

  router.get('/pages/:pageId', async (req, res) => {
    const ctx = await ctxOf(req, res, PAGE_INC, () => ({ pages: [String(req.params.pageId)] }));
    const page = pageOf(ctx.state, req);
    sendOne(res, ctx, () => pageText(ctx, page), pageLists(page.pageId));
  });

  router.get('/pages/:pageId/events', async (req, res) => {
    const spec: Spec = { ...PAGING, age: 'age', eventName: 'text', eventType: ['SYSTEM', 'BUSINESS'], category: 'text' };
    let entries: Placed[] = [];
    let scan = SCAN_LIMIT;
    const pageId = String(req.params.pageId);
    const ctx = await ctxOf(req, res, spec, async (q) => {
      ({ entries, scan } = await stretch(store, q, { list: 'events', pageId }, filtersEvents(q)));
      return { pages: [pageId], events: entries.map((e) => e.id) };
    });
    const { state } = ctx;
    const page = pageOf(state, req);
    const visit = state.visits[page.visitId];
    const source = windowSource(entries, (id) => (own(state.events, id) ? eventOf(state, id) : undefined));
    const keep = eventFilter(ctx.q, ctx.now, () => visit);
    sendCollection(res, ctx, source, keep, (e) => e.eventID, (e) => eventText(ctx, e), pageLists(page.pageId), scan);
  });

  router.get('/visits/:visitId/identities', async (req, res) => {
    const spec: Spec = { ...IDENTITY_INC, ...PAGING, association: ['Authenticated', 'Recognized'] };
    queryOf(req, res, spec); // a bad query is a 400 before anything is looked up
    // The visit first, to know its identities; then they are read with what the flags ask for.
    const links = visitOf(await store.read({ visits: visitId(req) }), req).identities;
    const ctx = await ctxOf(req, res, spec, () => ({ visits: visitId(req), identities: links.map((l) => l.identityId) }));
    const source = arraySource(links, (l) => l);
    const keep = (l: VisitIdentityLink) => ctx.q.association === undefined || l.scope === ctx.q.association;
    const write = (l: VisitIdentityLink) => identityText(ctx, ctx.state.identities[l.identityId], l.scope);
    sendCollection(res, ctx, source, keep, (l) => l.identityId, write, ANY_IDENTITY);
  });

  // POST a visit: {visitId?, globalVisitID?, startDate?, userAgent?}, or GWE's visit resource
  // (its server-set fields ignored, named in X-Ignored-Fields); 201 with the visit.
  router.post('/visits', ...jsonBody(), async (req, res) => {
    queryOf(req, res, {});
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('body', 'must be a JSON object');
    const { input: body, ignored } = withoutServerFields(req.body as Record<string, unknown>);
    const parsed = VisitInputSchema.safeParse(body);
    if (!parsed.success) {
      const problem = problemOf(parsed.error);
      throw badRequest(problem.field, problem.reason);
    }
    const input = parsed.data;
    const visitId = input.visitId ?? randomUUID();
    // Made before the commit: nothing that can throw comes after the visit is stored.
    const location = `${req.baseUrl}/visits/${encodeURIComponent(visitId)}`;
    const userAgent = input.userAgent ?? req.get('user-agent') ?? null;
    const seed = { visitId, globalVisitID: input.globalVisitID ?? randomUUID(), startDate: input.startDate ?? Date.now(), userAgent };
    if (!(await store.createVisit(seed))) throw new HttpError(409, 'conflict', `visit ${visitId} exists already`, 'visitId');
    const state = await store.read({ visits: [visitId] });
    if (ignored.length > 0) res.setHeader('X-Ignored-Fields', ignored.join(', '));
    res.status(201).location(location);
    // A new visit has no lists yet: nothing here can pass the bound.
    const ctx = { state, config: store.config, now: Date.now(), q: {}, budget: new Budget(Infinity) };
    res.type('application/json').send(visitText(ctx, state.visits[visitId]).text);
  });

  // POST events for a visit: the visit's ids are filled in; eventID and timestamp default.
  router.post('/visits/:visitId/events', ...jsonBody(), async (req, res) => {
    queryOf(req, res, {});
    const visit = visitOf(await store.read({ visits: visitId(req) }), req);
    const now = Date.now();
    const items = eventItems(req.body).map((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) return item;
      const ev = item as Record<string, unknown>;
      const at = (f: string) => (Array.isArray(req.body) ? `[${i}].${f}` : f);
      if (ev.visitID !== undefined && ev.visitID !== visit.visitId) {
        throw badRequest(at('visitID'), `is not the visit in the URL (${visit.visitId})`);
      }
      if (ev.globalVisitID !== undefined && ev.globalVisitID !== visit.globalVisitID) {
        throw badRequest(at('globalVisitID'), `is not the visit's globalVisitID (${visit.globalVisitID})`);
      }
      return { eventID: randomUUID(), timestamp: now, ...ev, globalVisitID: visit.globalVisitID, visitID: visit.visitId };
    });
    sendIntake(res, await ingest(store, items, req.get('user-agent') ?? null, now), 201);
  });

  return router;
}
