// POST /lab/check {spec, run?, visitId?} (issue 11, "Expectations"): checks a spec against what
// a run, a visit or everything recorded, and answers the report (200 whether it passed or not;
// `passed` says). A check of a run is noted on the run (its outcome, not the whole report).
import { Router } from 'express';
import { checkSpec, parseSpec, type CaptureProblem, type CheckedIdentity, type CheckedVisit, type CheckInput, type CheckScope } from '../../protocol/expectations';
import { eventOf, own, runOf, runScope, undeliveredOf, type LabState, type RunRecord, type VisitRecord } from '../engine';
import { readEventsInto, type LabStore, type Need } from '../store/lab-store';
import { jsonBody } from './body';
import { badRequest, HttpError } from './errors';
import { recordRunCheck } from './lab-runs';
import { parseQuery } from './history/query';

/**
 * Events one check reads at most. Each is parsed from its stored text, and the checker walks
 * them once per visit expectation: past this a check would hold a few hundred MB and seconds
 * of CPU. A run or a visit is what a suite checks; everything past this is refused, saying so.
 */
export const MAX_CHECKED_EVENTS = 200_000;
/**
 * Events times visit expectations a check compares at most (each expectation walks every event
 * of the scope): about half a second of the server's time at worst, in one piece.
 */
export const MAX_CHECK_WORK = 4_000_000;
/** Events read between two turns of the event loop, so that intake goes on during a big check. */
const SLICE = 5_000;

const BODY_FIELDS = ['spec', 'run', 'visitId', 'record'];

interface Scoped {
  visit: VisitRecord;
  eventIds: string[];
}

/** The visits in scope, each with the ids of its events in scope (applied order); 404 for an unknown run or visit. */
function scoped(state: LabState, scope: CheckScope): Scoped[] {
  let entries: Scoped[];
  if (scope.run !== undefined) {
    const run = runOf(state, scope.run);
    if (!run) throw new HttpError(404, 'not_found', `run: no run ${scope.run} (POST /lab/runs starts one; GET /lab/runs lists them)`, 'run');
    entries = runScope(state, run);
  } else {
    entries = state.visitOrder.flatMap((id) => {
      const visit = own(state.visits, id);
      return visit ? [{ visit, eventIds: visit.eventIds.slice() }] : [];
    });
  }
  if (scope.visitId === undefined) return entries;
  const visit = own(state.visits, scope.visitId);
  if (!visit) throw new HttpError(404, 'not_found', `visitId: no visit ${scope.visitId}`, 'visitId');
  const entry = entries.find((e) => e.visit === visit);
  if (!entry) throw new HttpError(404, 'not_found', `visitId: visit ${scope.visitId} has no events of run ${scope.run}`, 'visitId');
  return [entry];
}

const pause = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The visits' events, parsed a slice at a time; an event reset meanwhile is left out. */
async function visitsOf(state: LabState, entries: Scoped[]): Promise<CheckedVisit[]> {
  const visits: CheckedVisit[] = [];
  let read = 0;
  for (const { visit, eventIds } of entries) {
    const events: CheckedVisit['events'] = [];
    for (const id of eventIds) {
      if (own(state.events, id) === undefined) continue;
      events.push(eventOf(state, id));
      if (++read % SLICE === 0) await pause();
    }
    visits.push({ visitId: visit.visitId, startDate: visit.startDate, events });
  }
  return visits;
}

/** Identities with the visits they were in within the scope (everything: all identities, all their visits). */
function identitiesOf(state: LabState, visitIds: Set<string> | null): CheckedIdentity[] {
  return state.identityOrder.flatMap((id) => {
    const identity = own(state.identities, id);
    if (!identity) return [];
    const ids = visitIds ? identity.visitIds.filter((v) => visitIds.has(v)) : identity.visitIds.slice();
    if (visitIds && ids.length === 0) return [];
    return [{ identityId: identity.identityId, visitScope: identity.visitScope, visitIds: ids }];
  });
}

/** What the spec is checked against: the store's visits, identities and (for a run) its problems. */
export async function checkInputOf(state: LabState, scope: CheckScope, visitExpectations = 1, maxEvents = MAX_CHECKED_EVENTS): Promise<CheckInput> {
  const entries = scoped(state, scope);
  const total = entries.reduce((n, e) => n + e.eventIds.length, 0);
  const field = scope.visitId !== undefined ? 'visitId' : 'run';
  if (total > maxEvents) throw tooManyEvents(field, total, maxEvents);
  if (total * Math.max(visitExpectations, 1) > MAX_CHECK_WORK) {
    throw badRequest(field, `the scope holds ${total} events and the spec ${visitExpectations} visit expectations: each expectation walks every event, more than one check does (${MAX_CHECK_WORK} events x expectations); check a run (POST /lab/runs) or one visit, or split the spec`);
  }
  const everything = scope.run === undefined && scope.visitId === undefined;
  const identities = identitiesOf(state, everything ? null : new Set(entries.map((e) => e.visit.visitId)));
  const visits = await visitsOf(state, entries);
  const run = scope.run !== undefined ? runOf(state, scope.run) : undefined;
  if (!run) return { visits, identities };
  return { visits, identities, ...capturesOf(state, run, scope.visitId) };
}

/**
 * A run's capture problems. Intake knows its rejections and duplicates; what the extension
 * captured and never delivered (and what the tracker rejected in the page) only once the
 * extension reported it (POST /lab/runs/{runId}/captures): then every kind is known.
 */
function capturesOf(state: LabState, run: RunRecord, visitId: string | undefined): Pick<CheckInput, 'captures' | 'capturesCover'> {
  const problems = (visitId === undefined ? run.problems : run.problems.filter((p) => p.visitId === visitId)).map(({ by: _by, url: _url, ...p }) => p);
  if (!run.captured) return { captures: problems, capturesCover: ['rejected', 'duplicate'] };
  const undelivered: CaptureProblem[] = undeliveredOf(state, run, visitId).map((c) => ({
    kind: 'undelivered',
    eventID: c.eventID,
    ...(c.eventName !== undefined ? { eventName: c.eventName } : {}),
    ...(c.visitId !== undefined ? { visitId: c.visitId } : {}),
    reason: 'captured by the extension, not stored by the companion (yet: it may be on its way)',
  }));
  return { captures: [...problems, ...undelivered], capturesCover: ['rejected', 'duplicate', 'undelivered'] };
}

function optionalId(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw badRequest(field, 'must be a non-empty string');
  return v;
}

const tooManyEvents = (field: string, total: number, max: number) =>
  badRequest(field, `the scope holds ${total} events, more than a check reads (${max}): check a run (POST /lab/runs) or one visit`);

/** What a check reads: its scope's visits with their events and identities (everything without a scope). */
async function checkState(store: LabStore, scope: CheckScope): Promise<LabState> {
  // Everything: counted before it is read (a store that reads parts would read it all to refuse it).
  if (scope.run === undefined && scope.visitId === undefined) {
    const { events } = await store.counts();
    if (events > MAX_CHECKED_EVENTS) throw tooManyEvents('run', events, MAX_CHECKED_EVENTS);
  }
  const events = { visitEvents: 'texts', visitIdentities: true } as const;
  const need: Need =
    scope.run !== undefined ? { runs: [scope.run], runVisits: true, ...events }
    : scope.visitId !== undefined ? { visits: [scope.visitId], ...events }
    : { allVisits: true, allIdentities: true, ...events };
  const state = await store.read(need);
  // The run's captured events that are stored elsewhere than its visits count as delivered.
  const captured = scope.run === undefined ? [] : (runOf(state, scope.run)?.captured ?? []).map((c) => c.eventID).filter((id) => !own(state.events, id));
  await readEventsInto(store, state, captured);
  return state;
}

export function labCheckRouter(store: LabStore): Router {
  const router = Router();
  router.post('/check', ...jsonBody(), async (req, res) => {
    parseQuery(req.query as Record<string, unknown>, {});
    const body = req.body as unknown;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('body', 'must be a JSON object {"spec": {...}, "run"?: "run-...", "visitId"?: "..."}');
    const fields = body as Record<string, unknown>;
    const extra = Object.keys(fields).find((k) => !BODY_FIELDS.includes(k));
    if (extra !== undefined) throw badRequest(extra, `is not a field of a check (${BODY_FIELDS.join(', ')})`);
    if (!('spec' in fields)) throw badRequest('spec', 'is required: the spec to check (see docs/expectations.md)');
    const parsed = parseSpec(fields.spec);
    if (!parsed.ok) throw badRequest(parsed.problem.place === '' ? 'spec' : `spec.${parsed.problem.place}`, parsed.problem.reason);
    const scope: CheckScope = {};
    const run = optionalId(fields, 'run');
    const visitId = optionalId(fields, 'visitId');
    if (run !== undefined) scope.run = run;
    if (visitId !== undefined) scope.visitId = visitId;
    // `record: false`: a look, not a check of the run (the web app's live checklist re-checks on
    // every change; noting each would fill the run's checks before the real one comes).
    if (fields.record !== undefined && typeof fields.record !== 'boolean') throw badRequest('record', 'must be true or false');
    const state = await checkState(store, scope);
    const report = checkSpec(parsed.spec, await checkInputOf(state, scope, parsed.spec.visits?.length ?? 0), scope);
    // Noted on the run (GET /lab/runs/{runId} lists its checks); a run reset meanwhile takes nothing.
    if (run !== undefined && fields.record !== false && runOf(state, run)) {
      await recordRunCheck(store, run, report);
    }
    res.json(report);
  });
  return router;
}
