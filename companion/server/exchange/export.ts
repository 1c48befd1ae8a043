// GET /lab/export's three formats as lazy sequences of text pieces (streamPieces writes them):
// the JSON export (re-importable), HAR 1.2 (one entry per intake request) and CSV (a row per
// event). The scope is cut when the export begins: what arrives meanwhile is not in it.
import {
  canonicalIdentityId,
  CSV_HEADER,
  csvRow,
  exportHead,
  harEntry,
  harFrame,
  MAX_EVENTS_PER_REQUEST,
  requestsOf,
  type Contact,
  type ExportContact,
  type ExportScope,
  type ExportVisit,
} from '../../../protocol';
import { contactOrder, own, runOf, runScope, type LabState } from '../../engine';
import { HttpError, notFound } from '../errors';
import { cutOf, eventsInReceivedOrder, type ScopeCut } from './order';

export type ExportFormat = 'json' | 'har' | 'csv';

export interface ExportPlan {
  scope: ExportScope;
  cut: ScopeCut;
  /** Seeded contacts of the scope (identification makes the others again on import). */
  contactIds: string[];
  /** A name for the file: the scope, made safe for a file name. */
  label: string;
}

const seeded = (state: LabState, id: string | null) => {
  const c = id === null ? undefined : own(state.contacts, id);
  return c?.origin === 'seed' ? [c.contactId] : [];
};

/**
 * A run's export: its visits, each with only its events that belong to the run (a cut of
 * stand-in visit records whose lists are the run's part).
 */
function planRunExport(state: LabState, runId: string): ExportPlan {
  const run = runOf(state, runId);
  if (!run) throw new HttpError(404, 'not_found', `run: no run ${runId}`, 'run');
  const scoped = runScope(state, run);
  const contactIds = [...new Set(scoped.flatMap(({ visit }) => visit.identities.flatMap((l) => seeded(state, state.identities[l.identityId].entityInCS))))];
  const cut = { visits: scoped.map(({ visit, eventIds }) => ({ visit: { ...visit, eventIds }, n: eventIds.length })) };
  return { scope: { run: run.runId }, cut, contactIds, label: `run-${run.runId}` };
}

/** What an export of everything, of a run, of one visit or of one identity's visits covers; 404 for an unknown one. */
export function planExport(state: LabState, q: { visitId?: string; identityId?: string; run?: string }): ExportPlan {
  if (q.run !== undefined) return planRunExport(state, q.run);
  if (q.visitId !== undefined) {
    const visit = own(state.visits, q.visitId);
    if (!visit) throw notFound(`no visit ${q.visitId}`);
    const contactIds = visit.identities.flatMap((l) => seeded(state, state.identities[l.identityId].entityInCS));
    return { scope: { visitId: visit.visitId }, cut: cutOf(state, [visit.visitId]), contactIds, label: `visit-${visit.visitId}` };
  }
  if (q.identityId !== undefined) {
    // As the History API finds it: as typed, or in its canonical form.
    const identity = own(state.identities, q.identityId) ?? own(state.identities, canonicalIdentityId(q.identityId));
    if (!identity) throw notFound(`no identity ${q.identityId}`);
    const scope = { identityId: identity.identityId };
    return { scope, cut: cutOf(state, identity.visitIds), contactIds: seeded(state, identity.entityInCS), label: `identity-${identity.identityId}` };
  }
  const contactIds = contactOrder(state).filter((id) => state.contacts[id].origin === 'seed');
  return { scope: { all: true }, cut: cutOf(state, state.visitOrder.slice()), contactIds, label: 'all' };
}

export function fileName(plan: ExportPlan, format: ExportFormat, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  const label = plan.label.replace(/[^A-Za-z0-9._@-]+/g, '_').slice(0, 80);
  return `visitor-lab-${label}-${stamp}.${format}`;
}

const contactOf = ({ origin: _o, ...input }: Contact): ExportContact => input;

/** Pieces of a JSON list, one item at a time. */
function* list<T>(items: Iterable<T>, text: (t: T) => string): Generator<string> {
  let first = true;
  for (const item of items) {
    yield (first ? '' : ',') + text(item);
    first = false;
  }
}

/** Visits made by POST /server/data/visits that no event reached: only a seed can bring them back. */
function* eventlessVisits(cut: ScopeCut): Generator<ExportVisit> {
  for (const { visit, n } of cut.visits) {
    if (n === 0) yield { visitId: visit.visitId, globalVisitID: visit.globalVisitID, startDate: visit.startDate, userAgent: visit.userAgent };
  }
}

const requests = (state: LabState, cut: ScopeCut) => requestsOf(eventsInReceivedOrder(state, cut), MAX_EVENTS_PER_REQUEST);

export function* jsonExport(state: LabState, plan: ExportPlan, creator: { name: string; version: string }, now: number): Generator<string> {
  const head = JSON.stringify(exportHead(plan.scope, creator, now));
  yield head.slice(0, -1) + ',"contacts":[';
  yield* list(plan.contactIds, (id) => JSON.stringify(contactOf(state.contacts[id])));
  yield '],"visits":[';
  yield* list(eventlessVisits(plan.cut), (v) => JSON.stringify(v));
  yield '],"requests":[';
  // A request a piece at a time (an event each): one of intake's 1,000 events is ~0.5 MB.
  let first = true;
  for (const r of requests(state, plan.cut)) {
    yield `${first ? '' : ','}{"serverTimestamp":${r.serverTimestamp},"userAgent":${JSON.stringify(r.userAgent)},"events":[`;
    yield* list(r.events, (e) => JSON.stringify(e));
    yield ']}';
    first = false;
  }
  yield ']}';
}

/** An entry is built whole: a request of intake's 1,000 events is the longest piece (a few ms). */
export function* harExport(state: LabState, plan: ExportPlan, creator: { name: string; version: string }, intakeUrl: string): Generator<string> {
  const { head, tail } = harFrame(creator);
  yield head;
  yield* list(requests(state, plan.cut), (r) => JSON.stringify(harEntry(r, intakeUrl)));
  yield tail;
}

export function* csvExport(state: LabState, plan: ExportPlan): Generator<string> {
  yield CSV_HEADER;
  for (const { event } of eventsInReceivedOrder(state, plan.cut)) yield csvRow(event);
}
