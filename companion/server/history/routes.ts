// The History REST API (contract section 4) under /server/data.
import { randomUUID } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import { problemOf, VisitInputSchema } from '../../../protocol';
import { own, type IdentityRecord, type VisitRecord } from '../../engine';
import type { Store } from '../../store/store';
import { jsonBody } from '../body';
import { badRequest, HttpError, notFound } from '../errors';
import { eventItems, ingest, sendIntake } from '../intake';
import { eventFilter, identityFilter, pageFilter, visitFilter } from './filters';
import { paginate } from './paging';
import { includeSpec, PAGING, parseQuery, type Spec } from './query';
import { eventsOfVisits, pagesOfVisits, renderIdentity, renderPage, renderVisit, visitsOfIdentity, type ViewContext } from './views';

const VISIT_INC = includeSpec('pages', 'events');
const IDENTITY_INC = includeSpec('visits', 'pages', 'events');
const PAGE_INC = includeSpec('events');
const EVENT_FILTERS: Spec = { age: 'age', eventName: 'text', eventType: ['SYSTEM', 'BUSINESS'], category: 'text', url: 'text' };
const PAGE_FILTERS: Spec = { age: 'age', url: 'text', title: 'text', category: 'text' };
const VISIT_FILTERS: Spec = { age: 'age', globalVisitID: 'text', userAgent: 'text' };

/** Sends a collection: 204 when empty, else one page of it with Paging-Next when more follow. */
function sendCollection<T, R>(res: Response, ctx: ViewContext, items: T[], idOf: (t: T) => string, render: (t: T) => R): void {
  const page = paginate(items, idOf, ctx.q.page_size as number | undefined, ctx.q.page_key as string | undefined);
  if (page.items.length === 0) {
    res.status(204).end();
    return;
  }
  if (page.next) res.setHeader('Paging-Next', page.next);
  res.json(page.items.map(render));
}

export function historyRouter(store: Store): Router {
  const router = Router();
  const ctxOf = (req: Request, spec: Spec): ViewContext => ({
    state: store.state,
    config: store.config,
    now: Date.now(),
    q: parseQuery(req.query as Record<string, unknown>, spec),
  });
  const visitOf = (req: Request): VisitRecord => {
    const visit = own(store.state.visits, String(req.params.visitId));
    if (!visit) throw notFound(`no visit ${req.params.visitId}`);
    return visit;
  };
  const identityOf = (req: Request): IdentityRecord => {
    const identity = own(store.state.identities, String(req.params.identityId));
    if (!identity) throw notFound(`no identity ${req.params.identityId}`);
    return identity;
  };

  router.get('/identities', (req, res) => {
    const ctx = ctxOf(req, { ...IDENTITY_INC, ...PAGING, location: 'text', userAgent: 'text' });
    const keep = identityFilter(ctx.q, (i) => visitsOfIdentity(ctx.state, i));
    const items = ctx.state.identityOrder.map((id) => ctx.state.identities[id]).filter(keep);
    sendCollection(res, ctx, items, (i) => i.identityId, (i) => renderIdentity(ctx, i));
  });

  // GWE answers a single identity as a one-element array.
  router.get('/identities/:identityId', (req, res) => {
    const ctx = ctxOf(req, IDENTITY_INC);
    res.json([renderIdentity(ctx, identityOf(req))]);
  });

  router.get('/identities/:identityId/visits', (req, res) => {
    const ctx = ctxOf(req, { ...VISIT_INC, ...PAGING, ...VISIT_FILTERS });
    const items = visitsOfIdentity(ctx.state, identityOf(req)).filter(visitFilter(ctx.q, ctx.now));
    sendCollection(res, ctx, items, (v) => v.visitId, (v) => renderVisit(ctx, v));
  });

  router.get('/identities/:identityId/pages', (req, res) => {
    const ctx = ctxOf(req, { ...PAGE_INC, ...PAGING, ...PAGE_FILTERS });
    const visits = visitsOfIdentity(ctx.state, identityOf(req));
    const items = pagesOfVisits(ctx.state, visits).filter(pageFilter(ctx.q, ctx.now));
    sendCollection(res, ctx, items, (p) => p.pageId, (p) => renderPage(ctx, p));
  });

  router.get('/identities/:identityId/events', (req, res) => {
    const ctx = ctxOf(req, { ...PAGING, ...EVENT_FILTERS, globalVisitID: 'text' });
    const visits = visitsOfIdentity(ctx.state, identityOf(req));
    const keep = eventFilter(ctx.q, ctx.now, (e) => ctx.state.visits[e.visitID]);
    sendCollection(res, ctx, eventsOfVisits(ctx.state, visits).filter(keep), (e) => e.eventID, (e) => e);
  });

  // Addition: all visits, newest last, so a tester can find a visit without knowing its id.
  router.get('/visits', (req, res) => {
    const ctx = ctxOf(req, { ...VISIT_INC, ...PAGING, ...VISIT_FILTERS });
    const items = ctx.state.visitOrder.map((id) => ctx.state.visits[id]).filter(visitFilter(ctx.q, ctx.now));
    sendCollection(res, ctx, items, (v) => v.visitId, (v) => renderVisit(ctx, v));
  });

  router.get('/visits/:visitId', (req, res) => {
    const ctx = ctxOf(req, VISIT_INC);
    res.json(renderVisit(ctx, visitOf(req)));
  });

  router.get('/visits/:visitId/pages', (req, res) => {
    const ctx = ctxOf(req, { ...PAGE_INC, ...PAGING, ...PAGE_FILTERS });
    const items = pagesOfVisits(ctx.state, [visitOf(req)]).filter(pageFilter(ctx.q, ctx.now));
    sendCollection(res, ctx, items, (p) => p.pageId, (p) => renderPage(ctx, p));
  });

  router.get('/visits/:visitId/events', (req, res) => {
    const ctx = ctxOf(req, { ...PAGING, ...EVENT_FILTERS, browserPageID: 'text' });
    const visit = visitOf(req);
    const keep = eventFilter(ctx.q, ctx.now, () => visit);
    sendCollection(res, ctx, eventsOfVisits(ctx.state, [visit]).filter(keep), (e) => e.eventID, (e) => e);
  });

  router.get('/visits/:visitId/identities', (req, res) => {
    const ctx = ctxOf(req, { ...IDENTITY_INC, ...PAGING, association: ['Authenticated', 'Recognized'] });
    const links = visitOf(req).identities.filter((l) => ctx.q.association === undefined || l.scope === ctx.q.association);
    sendCollection(res, ctx, links, (l) => l.identityId, (l) => renderIdentity(ctx, ctx.state.identities[l.identityId], l.scope));
  });

  // POST a visit: {visitId?, globalVisitID?, startDate?, userAgent?}; 201 with the visit.
  router.post('/visits', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    if (!req.body || typeof req.body !== 'object' || Array.isArray(req.body)) throw badRequest('body', 'must be a JSON object');
    const parsed = VisitInputSchema.safeParse(req.body);
    if (!parsed.success) {
      const problem = problemOf(parsed.error);
      throw badRequest(problem.field, problem.reason);
    }
    const input = parsed.data;
    const visitId = input.visitId ?? randomUUID();
    // Made before the commit: nothing that can throw comes after the visit is stored.
    const location = `${req.baseUrl}/visits/${encodeURIComponent(visitId)}`;
    // Reserved until committed, so that two concurrent POSTs of one id cannot both succeed.
    if (!store.reserveVisitId(visitId)) throw new HttpError(409, 'conflict', `visit ${visitId} exists already`, 'visitId');
    try {
      const userAgent = input.userAgent ?? req.get('user-agent') ?? null;
      const seed = { visitId, globalVisitID: input.globalVisitID ?? randomUUID(), startDate: input.startDate ?? Date.now(), userAgent };
      await store.commit({ kind: 'visit', visit: seed });
    } finally {
      store.releaseVisitId(visitId);
    }
    res.status(201).location(location);
    res.json(renderVisit({ state: store.state, config: store.config, now: Date.now(), q: {} }, store.state.visits[visitId]));
  });

  // POST events for a visit: the visit's ids are filled in; eventID and timestamp default.
  router.post('/visits/:visitId/events', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const visit = visitOf(req);
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
