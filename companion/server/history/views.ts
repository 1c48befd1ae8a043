// Turning state records into History API resources, written as JSON text within the response
// budget (./budget.ts). The id lists (`visitIds`, `pageIds`, `eventIds`) and the embeds
// (`visits`, `pages`, `events`) appear only when asked for with `include_*` /
// `include_*_detail`; lists not asked for are null, as in GWE. Lists are read lazily from the
// stored id lists, so a list that passes the bound stops being written there.
import type { IdentityResource, PageResource, StoredEvent, VisitResource, VisitScope } from '../../../protocol';
import {
  endDateOf,
  isExpired,
  pageIdOf,
  visitorStateOf,
  type EngineConfig,
  type IdentityRecord,
  type LabState,
  type PageRecord,
  type VisitRecord,
} from '../../engine';
import { MIN_RESOURCE_CHARS, type Budget, type Json } from './budget';
import type { Parsed } from './query';

export interface ViewContext {
  state: LabState;
  config: EngineConfig;
  now: number;
  q: Parsed;
  budget: Budget;
}

type Kind = 'visits' | 'pages' | 'events';

interface Wanted {
  ids: boolean;
  detail: boolean;
  /** The flag that asked for the list (named when the answer is too large). */
  flag: string;
}

/**
 * What a resource's `kind` lists hold. GWE: `include_X_detail` is used only with
 * `include_X=true`; so with `include_X=false` it embeds nothing (routes.ts names it ignored).
 * Alone, it embeds and lists the ids (Visitor Lab's shorthand: a GWE client sends both).
 */
function wants(q: Parsed, kind: Kind): Wanted {
  const detail = q[`include_${kind}_detail`] === true && q[`include_${kind}`] !== false;
  return { ids: detail || q[`include_${kind}`] === true, detail, flag: detail ? `include_${kind}_detail` : `include_${kind}` };
}

export function visitsOfIdentity(state: LabState, identity: IdentityRecord): VisitRecord[] {
  return identity.visitIds.map((id) => state.visits[id]);
}

/** The ids of the lists `listOf` gives for each visit, in order, read lazily. */
function* idsOfVisits(state: LabState, visitIds: readonly string[], listOf: (v: VisitRecord) => readonly string[]): Generator<string> {
  for (const visitId of visitIds) yield* listOf(state.visits[visitId]);
}

function idList(ctx: ViewContext, w: Wanted, ids: Iterable<string>): Json | null {
  return w.ids ? ctx.budget.strings(w.flag, ids) : null;
}

function eventList(ctx: ViewContext, w: Wanted, ids: Iterable<string>): Json | null {
  return w.detail ? ctx.budget.list(w.flag, ids, (id) => ctx.budget.json(servedEventOf(ctx.state, id)), MIN_RESOURCE_CHARS) : null;
}

/**
 * The event as GWE serves it. Its `pageID` names its page resource (`visitId:browserPageID`),
 * so events join to pages; the browser's own id stays in `browserPageID`. `category` is always
 * there (`""` when the event has none), as GWE sends it. Worked out here, when served: the
 * stored text keeps the event as the browser sent it (pageID = the browser's id), so data
 * stored before this answers the same way, the snapshot and journal formats are unchanged,
 * and export gives back what was sent.
 */
export function servedEvent(event: StoredEvent): StoredEvent {
  const browser = event.browserPageID;
  return { ...event, pageID: browser === null || browser === undefined ? event.pageID : pageIdOf(event.visitID, browser), category: event.category ?? '' };
}

/**
 * The stored event `eventID` as served. An event kept as text is parsed afresh, so it is changed
 * in place rather than copied: a visit's events are most of a big answer (5,000 copies cost its
 * read about a quarter, docs/performance.md row 7).
 */
function servedEventOf(state: ViewContext['state'], eventID: string): StoredEvent {
  const row = state.events[eventID];
  if (typeof row !== 'string') return servedEvent(row);
  const event = JSON.parse(row) as StoredEvent;
  const browser = event.browserPageID;
  if (browser !== null && browser !== undefined) event.pageID = pageIdOf(event.visitID, browser);
  event.category ??= '';
  return event;
}

export function eventText(ctx: ViewContext, event: StoredEvent): Json {
  return ctx.budget.json(servedEvent(event));
}

export function pageText(ctx: ViewContext, page: PageRecord): Json {
  const ev = wants(ctx.q, 'events');
  return ctx.budget.object<PageResource>({
    pageId: page.pageId,
    browserPageID: page.browserPageID,
    visitId: page.visitId,
    url: page.url,
    title: page.title,
    referrer: page.referrer,
    // As on events: "" when none, as GWE sends it (the stored page keeps null).
    category: page.category ?? '',
    startDate: page.startDate,
    endDate: page.endDate !== 0 ? page.endDate : endDateOf(ctx.state.visits[page.visitId], ctx.now, ctx.config),
    eventIds: idList(ctx, ev, page.eventIds),
    events: eventList(ctx, ev, page.eventIds),
  });
}

export function visitText(ctx: ViewContext, visit: VisitRecord): Json {
  const ev = wants(ctx.q, 'events');
  const pg = wants(ctx.q, 'pages');
  const b = ctx.budget;
  return b.object<VisitResource>({
    visitId: visit.visitId,
    globalVisitID: visit.globalVisitID,
    startDate: visit.startDate,
    endDate: endDateOf(visit, ctx.now, ctx.config),
    userAgentId: visit.userAgentId,
    userAgent: visit.userAgent,
    visitorState: visitorStateOf(visit, ctx.now, ctx.config),
    activeSessionId: isExpired(visit, ctx.now, ctx.config) ? null : visit.activeSessionId,
    identityIds: visit.identities.map((l) => l.identityId),
    eventIds: idList(ctx, ev, visit.eventIds),
    events: eventList(ctx, ev, visit.eventIds),
    pageIds: idList(ctx, pg, visit.pageIds),
    pages: pg.detail ? b.list(pg.flag, visit.pageIds, (id) => pageText(ctx, ctx.state.pages[id]), MIN_RESOURCE_CHARS) : null,
  });
}

/** `scope` is the identity's association with one visit, when seen from that visit. */
export function identityText(ctx: ViewContext, identity: IdentityRecord, scope?: VisitScope): Json {
  const vs = wants(ctx.q, 'visits');
  const pg = wants(ctx.q, 'pages');
  const ev = wants(ctx.q, 'events');
  const b = ctx.budget;
  const pageIds = () => idsOfVisits(ctx.state, identity.visitIds, (v) => v.pageIds);
  const eventIds = () => idsOfVisits(ctx.state, identity.visitIds, (v) => v.eventIds);
  return b.object<IdentityResource>({
    identityId: identity.identityId,
    name: identity.name,
    location: identity.location,
    entityInCS: identity.entityInCS,
    visitScope: scope ?? identity.visitScope,
    profile: identity.profile,
    visitIds: idList(ctx, vs, identity.visitIds),
    visits: vs.detail ? b.list(vs.flag, identity.visitIds, (id) => visitText(ctx, ctx.state.visits[id]), MIN_RESOURCE_CHARS) : null,
    pageIds: idList(ctx, pg, pageIds()),
    pages: pg.detail ? b.list(pg.flag, pageIds(), (id) => pageText(ctx, ctx.state.pages[id])) : null,
    eventIds: idList(ctx, ev, eventIds()),
    events: eventList(ctx, ev, eventIds()),
  });
}
