// Event intake: validate each event, drop the ones already stored (same eventID: a duplicate if
// it is the same event, refused if it is another), commit the rest in one durable write, and
// answer per event only once they are on disk.
import { Router, type Request, type Response } from 'express';
import { RUN_HEADER } from '../../protocol/runs';
import { checkEvent, MAX_EVENTS_PER_REQUEST, type GtEvent, type IntakeResponse, type IntakeResult, type Problem, type StoredEvent } from '../../protocol';
import { countedTime, eventOf, MAX_CLOCK_LEAD_MS, own, type LabState } from '../engine';
import type { LabStore } from '../store/lab-store';
import { categorize } from '../categories/categorize';
import { jsonBody } from './body';
import { HttpError } from './errors';
import { differingField, reuseReason } from './event-reuse';
import { forCaller, markReused } from './intake-privacy';
import { runOfRequest, runProblemsOf } from './run-membership';

function readableEventId(item: unknown): string | null {
  const id = (item as { eventID?: unknown } | null)?.eventID;
  return typeof id === 'string' ? id.slice(0, 256) : null;
}

/** The body as a list of events: an array, or one event object. */
export function eventItems(body: unknown): unknown[] {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) throw new HttpError(400, 'bad_request', 'request body: an empty array has no events', 'body');
  if (items.length > MAX_EVENTS_PER_REQUEST) {
    throw new HttpError(413, 'too_large', `request body: more than ${MAX_EVENTS_PER_REQUEST} events in one request`, 'body');
  }
  return items;
}

const DAY = 86_400_000;
const span = (ms: number) => (ms >= 2 * DAY ? `${Math.round(ms / DAY).toLocaleString('en')} days` : `${Math.round(ms / 60_000)} minutes`);

/**
 * What GWE would store but the engine does not take as sent (a clock far ahead of the
 * companion's) or cannot use (`checked`: checkEvent's warnings, an identifying event without
 * its identifier, a SYSTEM name GWE does not know).
 */
function warningsOf(ev: GtEvent, now: number, checked: Problem[] | undefined): Problem[] | undefined {
  const clock = clockWarning(ev, now);
  if (!clock) return checked;
  return checked ? [...checked, clock] : [clock];
}

function clockWarning(ev: GtEvent, now: number): Problem | undefined {
  const counted = countedTime(ev.timestamp, now);
  if (counted === ev.timestamp) return undefined;
  const reason =
    `is ${span(ev.timestamp - now)} ahead of the companion's clock (more than ${MAX_CLOCK_LEAD_MS / 60_000} minutes): ` +
    `stored as sent, but the visit's dates, activity and expiry count it as ${new Date(counted).toISOString()}`;
  return { field: 'timestamp', reason };
}

/**
 * A duplicate whose stored event is another event (another visit, other content) is refused:
 * answered `duplicate`, it would be dropped while its sender believes it stored.
 */
function refuseReuse(state: LabState, result: IntakeResult, sent: GtEvent): void {
  if (!own(state.events, result.eventID!)) return; // emptied by a reset meanwhile: nothing to compare
  const kept = eventOf(state, result.eventID!);
  const field = differingField(sent, kept);
  if (field === null) return;
  Object.assign(result, { status: 'rejected', field: 'eventID', reason: reuseReason(field, kept) });
  markReused(result);
}

/** `runId`: the run the request's events belong to; its rejections and duplicates are noted on it. */
export async function ingest(store: LabStore, items: unknown[], userAgent: string | null, now: number, runId?: string): Promise<IntakeResponse> {
  const results: IntakeResult[] = [];
  const candidates: StoredEvent[] = [];
  const sent: (GtEvent | null)[] = [];
  const inBatch = new Set<string>();
  items.forEach((item, index) => {
    const check = checkEvent(item);
    if (!check.ok) {
      results.push({ index, eventID: readableEventId(item), status: 'rejected', ...check.problem });
      sent.push(null);
      return;
    }
    const ev = check.event;
    const duplicate = inBatch.has(ev.eventID);
    inBatch.add(ev.eventID);
    // Warnings follow the event's content, whatever its status: under --auth, an answer that
    // differed for a stored eventID would tell a caller without credentials it exists.
    const result: IntakeResult = { index, eventID: ev.eventID, status: duplicate ? 'duplicate' : 'accepted' };
    const warnings = warningsOf(ev, now, check.warnings);
    if (warnings) result.warnings = warnings;
    results.push(result);
    sent.push(ev);
    if (!duplicate) {
      // checkEvent's event is a fresh object: extend it in place rather than copy it again.
      const stored = ev as StoredEvent;
      stored.serverTimestamp = now;
      stored.browserPageID = ev.pageID ?? null;
      stored.visitorState = 'Anonymous';
      candidates.push(stored);
    }
  });
  // Before storing: the stored event holds its categories (matched on its page's URL and title).
  const duplicates = await store.submitEvents(candidates, userAgent, runId, (state) => categorize(candidates, state, results));
  results.forEach((r) => {
    if (r.status === 'accepted' && duplicates.has(r.eventID!)) r.status = 'duplicate';
  });
  // Every duplicate is stored by now (submitEvents waits for one another request writes).
  const repeated = results.flatMap((r, i) => (r.status === 'duplicate' ? [i] : []));
  if (repeated.length) {
    const stored = await store.read({ events: repeated.map((i) => results[i].eventID!) });
    for (const i of repeated) refuseReuse(stored, results[i], sent[i]!);
  }
  const counts = { accepted: 0, duplicate: 0, rejected: 0 };
  for (const r of results) counts[r.status]++;
  // Answered once noted: what a run says went wrong is as durable as what it stored.
  if (runId !== undefined && counts.accepted < results.length) await store.commit(runProblemsOf(await store.read({ runs: [runId] }), runId, items, results));
  return { ...counts, results };
}

/** 200 when anything was taken (or was already there), 400 when every event was rejected. */
export function sendIntake(res: Response, response: IntakeResponse, okStatus = 200): void {
  if (response.accepted + response.duplicate > 0) {
    res.status(okStatus).json(response);
    return;
  }
  const first = response.results[0];
  res.status(400).json({
    error: 'bad_request',
    message: `no event accepted; ${first.field}: ${first.reason}`,
    field: first.field,
    ...response,
  });
}

/** One line per intake request, naming each rejected event's field: what a tester watches. */
export function describeIntake(response: IntakeResponse): string {
  const head = `events: ${response.accepted} accepted, ${response.duplicate} duplicate, ${response.rejected} rejected`;
  const rejected = response.results
    .filter((r) => r.status === 'rejected')
    .slice(0, 5)
    .map((r) => `#${r.index}${r.eventID ? ` ${r.eventID}` : ''}: ${r.field}: ${r.reason}`);
  const more = response.rejected > 5 ? ` (+${response.rejected - 5} more)` : '';
  const warned = response.results.filter((r) => r.warnings);
  const warnings = warned.slice(0, 5).map((r) => `#${r.index} ${r.eventID}: ${r.warnings!.map((w) => `${w.field}: ${w.reason}`).join('; ')}`);
  const tail = warned.length ? ` warnings: ${warnings.join('; ')}${warned.length > 5 ? ` (+${warned.length - 5} more)` : ''}` : '';
  return (rejected.length ? `${head} (${rejected.join('; ')}${more})` : head) + tail;
}

export function intakeRouter(store: LabStore, log?: (line: string) => void): Router {
  const router = Router();
  router.post('/server/events', ...jsonBody(), async (req: Request, res: Response) => {
    const header = req.get(RUN_HEADER);
    // An unknown run: 400 before anything is stored.
    const runId = runOfRequest(await store.read({ runs: header === undefined ? [] : [header] }), header);
    const items = eventItems(req.body);
    const response = await ingest(store, items, req.get('user-agent') ?? null, Date.now(), runId);
    log?.(describeIntake(response));
    sendIntake(res, forCaller(res, response)); // under --auth, no "duplicate" without credentials
  });
  return router;
}
