// Capture records from the tabs: checked, queued for the companion, logged for the popup. The
// relay sends what waited in the page in one message (tracker/relay-link.ts), handled here in
// one task with one write of the outbox and one of the tab's capture log.
import { checkEvent, type GtEvent } from '../../protocol/events';
import type { CaptureRecord } from '../shared/capture';
import type { Delivery, WorkerRequest } from '../shared/messages';
import type { TabLog } from './capture-log';
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
  const { valid, states } = checked(records, now);
  // The page exits these records bring (docs/extension.md, "Page exits"), as the log is now:
  // queued with them, in the same write. Stable ids (`<pageID>.exit`), so queued twice is once.
  const foreseen = logged ? exitsOf(logged, records) : [];
  const exitEvents = foreseen.flatMap((r) => r.events);
  // The outbox first: it is what must not lose anything. The log is for showing; if it cannot be
  // written (storage.session full), delivery goes on.
  // Stamped with the run it was captured under: a stop must not move it out of its run. Settings
  // that cannot be read must not cost the capture: unstamped, it goes with the run when sent.
  const runId = await Promise.resolve()
    .then(() => w.settings.get())
    .then((s) => s.runId, () => undefined);
  // Told to the run before queued: an event lost in between is then named undelivered, not unseen.
  const refused = new Map(states.flatMap(([id, d]) => (d.state === 'rejected' ? [[id, d.reason ?? 'refused'] as const] : [])));
  await captureReportsOf(w.outbox).note(runId, [...records, ...foreseen], refused).catch((e) => console.warn('[visitor-lab] capture report not noted:', e));
  await w.outbox.add([...valid, ...exitEvents], tabId, runId);
  try {
    // The exits worked out again as the log is when each record joins it, in the same step:
    // records of a tab are handled at once and can come in any order. One not foreseen (a
    // record of the tab came in between) is queued after (a worker stopped in between loses
    // it: a window of one storage write).
    const queuedExits: Array<[string, Delivery]> = exitEvents.map((e) => [e.eventID, { state: 'queued', at: now }]);
    const exits = await w.log.addAll(tabId, records, exitsBefore, [...states, ...queuedExits]);
    const late = exits.flatMap((r) => r.events).filter((e) => !exitEvents.some((x) => x.eventID === e.eventID));
    if (late.length) {
      await captureReportsOf(w.outbox).note(runId, exits).catch(() => undefined);
      await w.outbox.add(late, tabId, runId);
      await w.log.deliver(tabId, late.map((e) => [e.eventID, { state: 'queued', at: now }]), true);
    }
  } catch (e) {
    console.warn('[visitor-lab] capture log not written:', e);
  }
  void w.courier.flush();
  return { refused: refusedRecords };
}

/** The records' events checked against the protocol: those to queue, and each one's state. */
function checked(records: CaptureRecord[], now: number): { valid: GtEvent[]; states: Array<[string, Delivery]> } {
  const valid: GtEvent[] = [];
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
  return { valid, states };
}

/** The exits `records` bring to `log`, each record taken in turn as addAll takes them (the log itself untouched). */
function exitsOf(log: TabLog, records: CaptureRecord[]): CaptureRecord[] {
  const view: TabLog = { ...log, records: [...log.records] };
  const key = (r: CaptureRecord) => `${r.ids.pageID}#${r.seq}`;
  const have = new Set(view.records.map(key));
  const exits: CaptureRecord[] = [];
  for (const record of records) {
    for (const exit of exitsBefore(view, record)) {
      if (have.has(key(exit))) continue;
      have.add(key(exit));
      view.records.push(exit);
      exits.push(exit);
    }
    have.add(key(record));
    view.records.push(record);
  }
  return exits;
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
