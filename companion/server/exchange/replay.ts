// POST /lab/import: a JSON export's or a HAR's intake requests replayed through intake
// (ingest), each with the serverTimestamp it was first received at as intake's clock and its
// user agent, so identification runs again as it did then; seeded contacts go in first, as
// POST /lab/contacts gives them, and visits made by the History API without events after them.
// Event ids make it idempotent: a second import answers every event `duplicate`.
import type { ImportPlan, IntakeResult } from '../../../protocol';
import type { LabStore } from '../../store/lab-store';
import { ingest } from '../intake';

/** How many requests are handed to the store before waiting for the first: the store writes them together (one fsync). */
const IN_FLIGHT = 64;
/** How many rejections an answer lists (the counts have them all). */
const FIRST_REJECTIONS = 10;

export interface ImportRejection extends Pick<IntakeResult, 'index' | 'eventID' | 'field' | 'reason'> {
  /** The request in the document: `requests[3]`, `log.entries[7]`. */
  at: string;
}

export interface ImportSummary {
  source: ImportPlan['source'];
  requests: number;
  events: { accepted: number; duplicate: number; rejected: number };
  /** Visits made from the export's `visits` (History API visits with no event); `existing` were there already. */
  visits: { created: number; existing: number };
  contacts: number;
  /** The first rejected events, with their request, field and reason. */
  rejections: ImportRejection[];
}

export async function replay(store: LabStore, plan: ImportPlan): Promise<ImportSummary> {
  const summary: ImportSummary = {
    source: plan.source,
    requests: plan.requests.length,
    events: { accepted: 0, duplicate: 0, rejected: 0 },
    visits: { created: 0, existing: 0 },
    contacts: plan.contacts.length,
    rejections: [],
  };
  if (plan.contacts.length) await store.commit({ kind: 'contacts', contacts: plan.contacts });
  // ingest hands its events to the store before its first await, so requests started one
  // after another are applied in that order: several can be under way at once.
  // A database applies concurrent requests in no set order: there, one at a time, in the
  // export's order (the engine's answers can depend on it, as they did when first received).
  const inFlight = store.kind === 'embedded' ? IN_FLIGHT : 1;
  const running: Promise<void>[] = [];
  // Each is watched from the start: one failing while an earlier one is awaited must not go unhandled.
  let failure: unknown = null;
  for (const request of plan.requests) {
    if (running.length >= inFlight) await running.shift();
    if (failure) break; // the store failed: nothing after it is replayed
    const done = ingest(store, request.events, request.userAgent, request.serverTimestamp).then((answer) => {
      summary.events.accepted += answer.accepted;
      summary.events.duplicate += answer.duplicate;
      summary.events.rejected += answer.rejected;
      for (const r of answer.results) {
        if (r.status !== 'rejected' || summary.rejections.length >= FIRST_REJECTIONS) continue;
        summary.rejections.push({ at: request.at, index: r.index, eventID: r.eventID, field: r.field, reason: r.reason });
      }
    });
    running.push(done.catch((e: unknown) => void (failure ??= e)));
  }
  await Promise.all(running);
  if (failure) throw failure;
  for (const visit of plan.visits) {
    if (await store.createVisit(visit)) summary.visits.created++;
    else summary.visits.existing++;
  }
  return summary;
}
