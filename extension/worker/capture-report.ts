// The capture reconciliation told to the companion (issue 11): while a run is on in this browser,
// what the worker captured for it (the events, so the companion can name those never stored) and
// what never left the page (commands the tracker rejected, events the extension refused) go to
// POST /lab/runs/{runId}/captures. Kept in storage.local until the companion has answered (the
// worker may be stopped at any moment); sent by the courier before the events themselves, so a
// check that sees an event stored already knows how it was captured, and retried as they are.
import {
  MAX_CAPTURE_LONG_TEXT,
  MAX_CAPTURE_TEXT,
  MAX_REPORT_CAPTURED,
  MAX_REPORT_REJECTED,
  MAX_RUN_CAPTURED,
  type CapturedEvent,
  type CaptureRejection,
  type CaptureReport,
} from '../../protocol/runs';
import type { CaptureRecord } from '../shared/capture';
import type { CompanionEndpoint } from './companion';
import type { Outbox } from './outbox';
import { Persisted, type Area } from './persisted';

export const CAPTURE_REPORTS_KEY = 'visitorLab.captureReports';
/** The report request's timeout: as a delivery's. */
const TIMEOUT_MS = 15_000;

/** What is waiting for one run: the companion keeps no more, so the worker keeps no more either. */
interface PendingRun {
  captured: CapturedEvent[];
  rejected: CaptureRejection[];
  /** Rejections past MAX_REPORT_REJECTED waiting: counted, not listed. */
  moreRejected: number;
}

export interface StoredReports {
  runs: Record<string, PendingRun>;
  /** The report being sent: sent again as it is (same batch) until the companion answers. */
  inFlight: { runId: string; report: CaptureReport } | null;
}

const cut = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** A command's name for a person: `event SignIn` for `['event', 'SignIn', {...}]`. */
export function commandName(command: unknown): string {
  if (Array.isArray(command)) {
    const words = command.slice(0, 2).filter((w): w is string => typeof w === 'string');
    if (words.length) return cut(words.join(' '), MAX_CAPTURE_TEXT);
    return 'a command';
  }
  return typeof command === 'string' ? cut(command, MAX_CAPTURE_TEXT) : `a ${command === null ? 'null' : typeof command} command`;
}

/**
 * What records tell their run: their events (those the extension let through: `refused` maps the
 * others to why), and their rejections: a command the tracker rejected, an event refused.
 */
export function reportOfRecords(records: readonly CaptureRecord[], refused: ReadonlyMap<string, string> = new Map()): { captured: CapturedEvent[]; rejected: CaptureRejection[] } {
  const captured: CapturedEvent[] = [];
  const rejected: CaptureRejection[] = [];
  for (const record of records) {
    const url = cut(record.page.url, MAX_CAPTURE_LONG_TEXT);
    const visitId = cut(record.ids.visitID, MAX_CAPTURE_TEXT);
    if (record.outcome === 'rejected') {
      rejected.push({ by: 'tracker', eventName: commandName(record.command), visitId, url, reason: cut(record.reason ?? 'rejected', MAX_CAPTURE_LONG_TEXT) });
    }
    for (const e of record.events) {
      // An id the companion could not take could not be stored either: nothing to reconcile.
      if (typeof e.eventID !== 'string' || e.eventID === '' || e.eventID.length > MAX_CAPTURE_TEXT) continue;
      const named = { eventID: e.eventID, ...(typeof e.eventName === 'string' ? { eventName: cut(e.eventName, MAX_CAPTURE_TEXT) } : {}) };
      const why = refused.get(e.eventID);
      if (why !== undefined) rejected.push({ by: 'extension', ...named, visitId, url, reason: cut(why, MAX_CAPTURE_LONG_TEXT) });
      else captured.push({ ...named, visitId: typeof e.visitID === 'string' ? cut(e.visitID, MAX_CAPTURE_TEXT) : visitId });
    }
  }
  return { captured, rejected };
}

type Sent = 'empty' | 'sent' | { url: string; failure: string };

export class CaptureReports {
  private readonly store: Persisted<StoredReports>;

  constructor(area: Area) {
    this.store = new Persisted<StoredReports>(area, CAPTURE_REPORTS_KEY, () => ({ runs: {}, inFlight: null }));
  }

  /** Notes records captured under `runId` ('' or none: no run, nothing to tell); resolves once stored. */
  async note(runId: string | undefined, records: readonly CaptureRecord[], refused?: ReadonlyMap<string, string>): Promise<void> {
    if (!runId) return;
    const { captured, rejected } = reportOfRecords(records, refused);
    if (captured.length === 0 && rejected.length === 0) return;
    const stored = await this.store.get();
    const run = (stored.runs[runId] ??= { captured: [], rejected: [], moreRejected: 0 });
    run.captured.push(...captured.slice(0, Math.max(0, MAX_RUN_CAPTURED - run.captured.length)));
    const room = Math.max(0, MAX_REPORT_REJECTED - run.rejected.length);
    run.rejected.push(...rejected.slice(0, room));
    run.moreRejected += Math.max(0, rejected.length - room);
    await this.store.save();
  }

  /** What waits to be told (tests, and the courier's "anything to send?"). */
  async pending(): Promise<StoredReports> {
    return this.store.get();
  }

  /** The next report to send: the one in flight, or a new one from the first run waiting. */
  private async next(): Promise<StoredReports['inFlight']> {
    const stored = await this.store.get();
    if (stored.inFlight) return stored.inFlight;
    const runId = Object.keys(stored.runs)[0];
    if (runId === undefined) return null;
    const run = stored.runs[runId];
    const captured = run.captured.splice(0, MAX_REPORT_CAPTURED);
    const rejected = run.rejected.splice(0, MAX_REPORT_REJECTED);
    const moreRejected = run.moreRejected;
    run.moreRejected = 0;
    if (run.captured.length === 0 && run.rejected.length === 0) delete stored.runs[runId];
    const batch = `${Date.now().toString(36)}-${crypto.randomUUID()}`;
    stored.inFlight = { runId, report: { batch, captured, rejected, ...(moreRejected ? { moreRejected } : {}) } };
    await this.store.save();
    return stored.inFlight;
  }

  /**
   * Sends one report, if any waits. `sent`: the companion took it, or will never take it (its run
   * is gone: 404; a report it refuses: 400), so the next may go; a failure keeps it for a retry.
   */
  async sendOne(endpointRead: Promise<CompanionEndpoint>, fetchImpl: typeof fetch = fetch): Promise<Sent> {
    const next = await this.next();
    if (!next) return 'empty';
    let url = '';
    try {
      const endpoint = await endpointRead;
      url = endpoint.url;
      const res = await fetchImpl(`${url}/lab/runs/${encodeURIComponent(next.runId)}/captures`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...endpoint.headers },
        body: JSON.stringify(next.report),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      if (res.ok || res.status === 404 || res.status === 400 || res.status === 413) {
        if (!res.ok) console.warn(`[visitor-lab] capture report for ${next.runId} not taken (HTTP ${res.status}): ${await res.text().catch(() => '')}`);
        const stored = await this.store.get();
        stored.inFlight = null;
        if (res.status === 404) delete stored.runs[next.runId]; // the companion forgot the run: nothing more to tell it
        await this.store.save();
        return 'sent';
      }
      return { url, failure: `capture report: HTTP ${res.status}` };
    } catch (e) {
      return { url, failure: `unreachable (${(e as Error).message})` };
    }
  }
}

/** One report keeper per outbox (both in storage.local): the capture path notes, the courier sends. */
const keepers = new WeakMap<Outbox, CaptureReports>();

export function captureReportsOf(outbox: Outbox): CaptureReports {
  let keeper = keepers.get(outbox);
  if (!keeper) keepers.set(outbox, (keeper = new CaptureReports(outbox.area)));
  return keeper;
}
