// Capture records from the tabs: checked, queued for the companion, logged for the popup. The
// relay sends what waited in the page in one message (tracker/relay-link.ts), handled here in
// one task with one write of the outbox and one of the tab's capture log.
import { checkEvent } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { Delivery, WorkerRequest } from '../shared/messages';
import { captureReportsOf } from './capture-report';
import { exitsBefore } from './page-exits';
import type { Worker } from './router';

/** Larger records are dropped: a page could otherwise fill the extension's storage. */
export const MAX_RECORD_BYTES = 256 * 1024;

/**
 * The record if it has the shape the tracker sends. It comes through the page's DOM, so a page
 * script could send anything; what it could do with a well-formed one, `_gt.push` already allows.
 */
export function saneRecord(input: unknown, now: number): CaptureRecord | null {
  const r = input as CaptureRecord | null;
  if (!r || typeof r !== 'object' || !Number.isInteger(r.seq) || typeof r.at !== 'number' || !Number.isFinite(r.at)) return null;
  if (!Array.isArray(r.events) || r.events.some((e) => !e || typeof e !== 'object' || typeof e.eventID !== 'string')) return null;
  if (!r.ids || typeof r.ids.pageID !== 'string' || typeof r.ids.visitID !== 'string') return null;
  if (!r.page || typeof r.page.url !== 'string') return null;
  if (JSON.stringify(r).length > MAX_RECORD_BYTES) return null;
  // A time in the future would pin the tab's ids (the newest page view wins).
  r.at = Math.min(r.at, now);
  return r;
}

/** At most this many records in one `capture` message (the relay sends what waited, in chunks). */
export const MAX_RECORDS_PER_MESSAGE = 200;

/** A capture record from a tab; see captureAll. */
export async function capture(w: Worker, tabId: number, input: unknown): Promise<boolean> {
  return (await captureAll(w, tabId, [input])).refused.length === 0;
}

/**
 * Capture records from a tab, in one task: their events checked against the protocol, queued
 * (one write of the outbox), logged (one write of the capture log). A message a record cost
 * the worker and the browser ~20 ms a page view (docs/performance.md). Returns the indexes of
 * the records refused (not the shape the tracker sends).
 */
export async function captureAll(w: Worker, tabId: number, inputs: unknown[]): Promise<{ refused: number[] }> {
  const now = Date.now();
  const refusedRecords: number[] = [];
  const sane: CaptureRecord[] = [];
  inputs.forEach((input, i) => {
    const record = saneRecord(input, now);
    if (record) sane.push(record);
    else refusedRecords.push(i);
  });
  // Logged last (below), so a logged record had its events queued already: a relay retry of a
  // message that got through is skipped. (An unreadable log: queue anyway.)
  const logged = await w.log.get(tabId).catch(() => null);
  const records = sane.filter((record) => !logged?.records.some((r) => r.seq === record.seq && r.ids.pageID === record.ids.pageID));
  if (records.length === 0) return { refused: refusedRecords };
  const valid = [];
  const states: Array<[string, Delivery]> = [];
  for (const ev of records.flatMap((r) => r.events)) {
    const check = checkEvent(ev);
    if (check.ok) {
      valid.push(check.event);
      states.push([ev.eventID, { state: 'queued', at: now }]);
    } else {
      const { field, reason } = check.problem;
      states.push([ev.eventID, { state: 'rejected', by: 'extension', field, reason: `${field}: ${reason}`, at: now }]);
    }
  }
  // The outbox first: it is what must not lose anything. The log is for showing; if it cannot be
  // written (storage.session full), delivery goes on.
  // Stamped with the run it was captured under: a stop must not move it out of its run. Settings
  // that cannot be read must not cost the capture: unstamped, it goes with the run when sent.
  const runId = await Promise.resolve()
    .then(() => w.settings.get())
    .then((s) => s.runId, () => undefined);
  // Told to the run before queued: an event lost in between is then named undelivered, not unseen.
  const refused = new Map(states.flatMap(([id, d]) => (d.state === 'rejected' ? [[id, d.reason ?? 'refused'] as const] : [])));
  await captureReportsOf(w.outbox).note(runId, records, refused).catch((e) => console.warn('[visitor-lab] capture report not noted:', e));
  await w.outbox.add(valid, tabId, runId);
  try {
    // The pages these records' arrival ended (docs/extension.md, "Page exits"), worked out from
    // the log as it is when each record joins it, in the same step: records of a tab are
    // handled at once and can come in any order. Logged with the records, then queued (a
    // worker stopped in between loses that exit: a window of one storage write).
    const exits = await w.log.addAll(tabId, records, exitsBefore, states);
    if (exits.length) {
      const events = exits.flatMap((r) => r.events);
      await captureReportsOf(w.outbox).note(runId, exits).catch(() => undefined);
      await w.outbox.add(events, tabId, runId);
      await w.log.deliver(tabId, events.map((e) => [e.eventID, { state: 'queued', at: now }]), true);
    }
  } catch (e) {
    console.warn('[visitor-lab] capture log not written:', e);
  }
  void w.courier.flush();
  return { refused: refusedRecords };
}

/** The records of a `capture` message: one (`record`, as before batches) or several. */
function recordsOf(msg: Extract<WorkerRequest, { type: 'capture' }>): unknown[] | null {
  if (Array.isArray(msg.records)) return msg.records.length <= MAX_RECORDS_PER_MESSAGE ? msg.records : null;
  return msg.record === undefined ? null : [msg.record];
}

/** `ok`: every record taken; `refused`: the indexes of those that were not. */
export async function captureRequest(w: Worker, msg: Extract<WorkerRequest, { type: 'capture' }>, tabId: number | undefined): Promise<unknown> {
  const records = recordsOf(msg);
  if (tabId === undefined || !records) return { ok: false };
  const { refused } = await captureAll(w, tabId, records);
  return refused.length ? { ok: false, refused } : { ok: true };
}
