// Exporting a tab's capture log, from the popup and the panel. JSON keeps everything (every
// record, every delivery: the pushes rejected in the page and the events the companion never
// saw too); HAR 1.2 has one entry per intake answer the tab's events got, built with the
// companion's own HAR functions (protocol/exchange), so it opens in DevTools' Network panel and
// the companion's POST /lab/import replays it. Pure.
import type { Har } from 'har-format';
import type { GtEvent, StoredEvent } from '../../protocol/events';
import type { ExportRequest } from '../../protocol/exchange/document';
import { harEntry, HAR_VERSION, INTAKE_PATH } from '../../protocol/exchange/har';
import type { IntakeResponse, IntakeResult } from '../../protocol/intake';
import type { Problem } from '../../protocol/problems';
import type { CaptureRecord } from './capture';
import type { Delivery } from './messages';

export const CAPTURE_FORMAT = 'visitor-lab-capture';
export const CAPTURE_VERSION = 1;
export const EXTENSION_CREATOR = 'visitor-lab-extension';

/** What an export is made from: the tab's whole log (a TabView asked for without a limit). */
export interface CaptureSource {
  tabId: number;
  url: string | null;
  records: CaptureRecord[];
  deliveries: Record<string, Delivery>;
}

export interface CaptureExport {
  format: typeof CAPTURE_FORMAT;
  version: typeof CAPTURE_VERSION;
  exportedAt: string;
  creator: { name: string; version: string };
  tab: { tabId: number; url: string | null };
  /** Every record of the log, oldest first: the command as pushed, its outcome, its events. */
  records: CaptureRecord[];
  /** Each event's delivery, by eventID (an event without one had not been queued yet). */
  deliveries: Record<string, Delivery>;
  /** What a reader wants first: how many pushes, events, and where they got to. */
  summary: { records: number; rejectedInPage: number; events: number; byState: Record<string, number> };
}

export function captureExport(src: CaptureSource, version: string, now: number): CaptureExport {
  const byState: Record<string, number> = {};
  let events = 0;
  for (const r of src.records) {
    for (const e of r.events) {
      events++;
      const d = src.deliveries[e.eventID];
      const state = d ? (d.state === 'rejected' && d.by === 'extension' ? 'rejected by the extension' : d.state) : 'queued';
      byState[state] = (byState[state] ?? 0) + 1;
    }
  }
  return {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    exportedAt: new Date(now).toISOString(),
    creator: { name: EXTENSION_CREATOR, version },
    tab: { tabId: src.tabId, url: src.url },
    records: src.records,
    deliveries: src.deliveries,
    summary: { records: src.records.length, rejectedInPage: src.records.filter((r) => r.outcome === 'rejected').length, events, byState },
  };
}

/** `field: reason; field: reason` (how the worker keeps warnings) back into problems. */
function problemsOf(text: string): Problem[] {
  return text.split('; ').map((p) => {
    const at = p.indexOf(': ');
    return at < 0 ? { field: 'event', reason: p } : { field: p.slice(0, at), reason: p.slice(at + 2) };
  });
}

function resultOf(ev: GtEvent, index: number, d: Delivery): IntakeResult {
  const result: IntakeResult = { index, eventID: ev.eventID, status: d.state as IntakeResult['status'] };
  if (d.state === 'rejected') {
    result.field = d.field ?? 'event';
    const prefix = `${result.field}: `;
    result.reason = d.reason?.startsWith(prefix) ? d.reason.slice(prefix.length) : (d.reason ?? '');
  }
  if (d.warning) result.warnings = problemsOf(d.warning);
  return result;
}

/**
 * The tab's events the companion answered for, as intake requests: the worker settles a batch
 * with one time, so events answered at the same moment went in one request. (Only this tab's
 * part of a batch shared with other tabs is known.)
 */
export function answeredRequests(src: CaptureSource): Array<{ request: ExportRequest; response: IntakeResponse }> {
  const batches = new Map<number, Array<{ ev: GtEvent; d: Delivery }>>();
  for (const r of src.records) {
    for (const ev of r.events) {
      const d = src.deliveries[ev.eventID];
      if (!d || d.by !== 'companion' || (d.state !== 'accepted' && d.state !== 'duplicate' && d.state !== 'rejected')) continue;
      const list = batches.get(d.at) ?? batches.set(d.at, []).get(d.at)!;
      list.push({ ev, d });
    }
  }
  return [...batches]
    .sort(([a], [b]) => a - b)
    .map(([at, list]) => {
      const results = list.map(({ ev, d }, i) => resultOf(ev, i, d));
      const count = (s: IntakeResult['status']) => results.filter((r) => r.status === s).length;
      // harEntry takes stored events and sends them without the server's fields: these are the
      // events as sent, with those fields filled in only to be dropped again.
      const events = list.map(({ ev }): StoredEvent => ({ ...ev, serverTimestamp: at, browserPageID: ev.pageID ?? null, visitorState: 'Anonymous' }));
      return {
        request: { serverTimestamp: at, userAgent: null, events },
        response: { accepted: count('accepted'), duplicate: count('duplicate'), rejected: count('rejected'), results },
      };
    });
}

/** HAR 1.2 of the tab's intake traffic; the log's comment counts what never reached the companion. */
export function captureHar(src: CaptureSource, companionUrl: string, version: string): Har {
  const answered = answeredRequests(src);
  const intakeUrl = `${companionUrl}${INTAKE_PATH}`;
  // Each entry with the answer the companion gave (harEntry's default says "all accepted").
  const entries = answered.map((a) => harEntry(a.request, intakeUrl, a.response));
  const har: Har = { log: { version: HAR_VERSION, creator: { name: EXTENSION_CREATOR, version }, entries } };
  const sent = new Set(answered.flatMap((a) => a.request.events.map((e) => e.eventID)));
  const unsent = src.records.reduce((n, r) => n + r.events.filter((e) => !sent.has(e.eventID)).length, 0);
  const rejected = src.records.filter((r) => r.outcome === 'rejected').length;
  har.log.comment = `Visitor Lab capture of tab ${src.tabId}${src.url ? ` (${src.url})` : ''}: ${answered.length} intake answers; ${unsent} events not answered by the companion (waiting, or rejected by the extension) and ${rejected} pushes rejected in the page are in the JSON export only.`;
  return har;
}

/** A file name for the export: the page's host and the time. */
export function exportFileName(src: Pick<CaptureSource, 'tabId' | 'url'>, ext: 'json' | 'har', now: number): string {
  let host = `tab-${src.tabId}`;
  try {
    if (src.url) host = new URL(src.url).host.replace(/[^a-z0-9.-]+/gi, '_');
  } catch {
    /* keep the tab's number */
  }
  const stamp = new Date(now).toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  return `visitor-lab-${host}-${stamp}.${ext}`;
}
