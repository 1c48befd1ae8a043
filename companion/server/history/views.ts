// Turning state records into History API resources. The id lists (`visitIds`, `pageIds`,
// `eventIds`) and the embeds (`visits`, `pages`, `events`) appear only when asked for with
// `include_*` / `include_*_detail`; lists not asked for are null, as in GWE.
import type { IdentityResource, PageResource, StoredEvent, VisitResource, VisitScope } from '../../../protocol';
import {
  endDateOf,
  eventOf,
  isExpired,
  visitorStateOf,
  type EngineConfig,
  type IdentityRecord,
  type LabState,
  type PageRecord,
  type VisitRecord,
} from '../../engine';
import type { Parsed } from './query';

export interface ViewContext {
  state: LabState;
  config: EngineConfig;
  now: number;
  q: Parsed;
}

type Kind = 'visits' | 'pages' | 'events';

function wants(q: Parsed, kind: Kind): { ids: boolean; detail: boolean } {
  const detail = q[`include_${kind}_detail`] === true;
  return { ids: detail || q[`include_${kind}`] === true, detail };
}

export function eventsOfVisits(state: LabState, visits: VisitRecord[]): StoredEvent[] {
  return visits.flatMap((v) => v.eventIds.map((id) => eventOf(state, id)));
}

export function pagesOfVisits(state: LabState, visits: VisitRecord[]): PageRecord[] {
  return visits.flatMap((v) => v.pageIds.map((id) => state.pages[id]));
}

export function visitsOfIdentity(state: LabState, identity: IdentityRecord): VisitRecord[] {
  return identity.visitIds.map((id) => state.visits[id]);
}

export function renderPage(ctx: ViewContext, page: PageRecord): PageResource {
  const ev = wants(ctx.q, 'events');
  return {
    pageId: page.pageId,
    browserPageID: page.browserPageID,
    visitId: page.visitId,
    url: page.url,
    title: page.title,
    referrer: page.referrer,
    category: page.category,
    startDate: page.startDate,
    endDate: page.endDate !== 0 ? page.endDate : endDateOf(ctx.state.visits[page.visitId], ctx.now, ctx.config),
    eventIds: ev.ids ? page.eventIds : null,
    events: ev.detail ? page.eventIds.map((id) => eventOf(ctx.state, id)) : null,
  };
}

export function renderVisit(ctx: ViewContext, visit: VisitRecord): VisitResource {
  const ev = wants(ctx.q, 'events');
  const pg = wants(ctx.q, 'pages');
  return {
    visitId: visit.visitId,
    globalVisitID: visit.globalVisitID,
    startDate: visit.startDate,
    endDate: endDateOf(visit, ctx.now, ctx.config),
    userAgentId: visit.userAgentId,
    userAgent: visit.userAgent,
    visitorState: visitorStateOf(visit, ctx.now, ctx.config),
    activeSessionId: isExpired(visit, ctx.now, ctx.config) ? null : visit.activeSessionId,
    identityIds: visit.identities.map((l) => l.identityId),
    eventIds: ev.ids ? visit.eventIds : null,
    events: ev.detail ? visit.eventIds.map((id) => eventOf(ctx.state, id)) : null,
    pageIds: pg.ids ? visit.pageIds : null,
    pages: pg.detail ? visit.pageIds.map((id) => renderPage(ctx, ctx.state.pages[id])) : null,
  };
}

/** `scope` is the identity's association with one visit, when seen from that visit. */
export function renderIdentity(ctx: ViewContext, identity: IdentityRecord, scope?: VisitScope): IdentityResource {
  const vs = wants(ctx.q, 'visits');
  const pg = wants(ctx.q, 'pages');
  const ev = wants(ctx.q, 'events');
  const visits = vs.ids || pg.ids || ev.ids ? visitsOfIdentity(ctx.state, identity) : [];
  const pages = pg.ids ? pagesOfVisits(ctx.state, visits) : [];
  const events = ev.ids ? eventsOfVisits(ctx.state, visits) : [];
  return {
    identityId: identity.identityId,
    name: identity.name,
    location: identity.location,
    entityInCS: identity.entityInCS,
    visitScope: scope ?? identity.visitScope,
    profile: identity.profile,
    visitIds: vs.ids ? identity.visitIds : null,
    visits: vs.detail ? visits.map((v) => renderVisit(ctx, v)) : null,
    pageIds: pg.ids ? pages.map((p) => p.pageId) : null,
    pages: pg.detail ? pages.map((p) => renderPage(ctx, p)) : null,
    eventIds: ev.ids ? events.map((e) => e.eventID) : null,
    events: ev.detail ? events : null,
  };
}
