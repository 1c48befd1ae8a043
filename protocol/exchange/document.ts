// The JSON export (GET /lab/export?format=json): what a companion knows, as the intake requests
// it came in as, so that replaying them through intake into another companion runs
// identification again and gives the same History API answers. Written and read by the
// companion and the extension alike: types and pure functions only, no I/O.
import type { StoredEvent } from '../events';
import type { Problem } from '../problems';
import type { Contact } from '../resources';

export const EXPORT_FORMAT = 'visitor-lab-export';
export const EXPORT_VERSION = 1;

/** One intake request (POST /server/events) as far as the stored data can tell it. */
export interface ExportRequest {
  /** When the companion received it (ms): every event of the request has this serverTimestamp. */
  serverTimestamp: number;
  /** The request's User-Agent (the visit's user agent: what the companion keeps of it). */
  userAgent: string | null;
  /**
   * The events as stored (the browser's fields plus serverTimestamp, browserPageID,
   * visitorState); intake drops the server's fields again when they are replayed.
   */
  events: StoredEvent[];
}

/** A visit made by POST /server/data/visits that no event has reached yet. */
export interface ExportVisit {
  visitId: string;
  globalVisitID: string;
  startDate: number;
  userAgent: string | null;
}

/** A contact of the directory as POST /lab/contacts takes it (the seeded ones; the rest come from identification). */
export type ExportContact = Omit<Contact, 'origin'>;

export type ExportScope = { all: true } | { visitId: string } | { identityId: string } | { run: string };

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO time of the export. */
  exportedAt: string;
  /** Who wrote it: `visitor-lab-companion` or `visitor-lab-extension`, and its version. */
  creator: { name: string; version: string };
  scope: ExportScope;
  contacts: ExportContact[];
  visits: ExportVisit[];
  /** In the order the companion received them. */
  requests: ExportRequest[];
  /**
   * The extension's capture log (each push, the event it became, its delivery), pushes the
   * companion never saw included. Import replays `requests` only and ignores this.
   */
  capture?: unknown[];
}

/** What an import replays, whichever document it came from. */
export interface ImportPlan {
  source: 'json' | 'har';
  /** Checked as POST /lab/contacts checks them, and given to the directory the same way. */
  contacts: Contact[];
  visits: ExportVisit[];
  requests: ImportRequest[];
}

export interface ImportRequest {
  serverTimestamp: number;
  userAgent: string | null;
  /** As posted: intake checks each one. */
  events: unknown[];
  /** Where it is in the document, to name it in an answer (`requests[3]`, `log.entries[7]`). */
  at: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; problem: Problem };

/** The head of the JSON document (everything but the lists), for a writer that streams the lists. */
export function exportHead(scope: ExportScope, creator: { name: string; version: string }, now: number): Omit<ExportDocument, 'contacts' | 'visits' | 'requests'> {
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date(now).toISOString(), creator, scope };
}

/** The stored event as the tracker sent it: without the fields the companion adds. */
export function sentEvent(ev: StoredEvent): Record<string, unknown> {
  const { serverTimestamp: _s, browserPageID: _b, visitorState: _v, ...sent } = ev;
  return sent;
}

/**
 * The stored events in the order the companion received them, cut into the intake requests
 * they came in as, as far as can be known: consecutive events with one serverTimestamp and
 * user agent, at most `max` to a request (intake's limit).
 */
export function* requestsOf(events: Iterable<{ event: StoredEvent; userAgent: string | null }>, max: number): Generator<ExportRequest> {
  let current: ExportRequest | null = null;
  for (const { event, userAgent } of events) {
    if (!current || current.serverTimestamp !== event.serverTimestamp || current.userAgent !== userAgent || current.events.length >= max) {
      if (current) yield current;
      current = { serverTimestamp: event.serverTimestamp, userAgent, events: [] };
    }
    current.events.push(event);
  }
  if (current) yield current;
}
