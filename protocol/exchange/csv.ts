// The CSV export: one row per event, its main fields flattened (RFC 4180: CRLF line ends, a
// cell with a comma, quote or line break quoted, quotes doubled). A text cell that a
// spreadsheet would run as a formula (= + - @, and tab or carriage return before them) gets a
// leading apostrophe, as OWASP advises: an event's url or data comes from any web page.
import type { StoredEvent } from '../events';

export const CSV_COLUMNS = [
  'eventID',
  'eventName',
  'eventType',
  'timestamp',
  'timestampMs',
  'serverTimestamp',
  'serverTimestampMs',
  'visitID',
  'globalVisitID',
  'pageID',
  'sessionID',
  'url',
  'category',
  'visitorState',
  'data',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: text neutralised against formulas, then quoted when it must be. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number) => {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
};

export const CSV_HEADER = CSV_COLUMNS.join(',') + '\r\n';

/** The event's row, CRLF included. */
export function csvRow(ev: StoredEvent): string {
  const cells = [
    ev.eventID,
    ev.eventName,
    ev.eventType,
    iso(ev.timestamp),
    ev.timestamp,
    iso(ev.serverTimestamp),
    ev.serverTimestamp,
    ev.visitID,
    ev.globalVisitID,
    ev.pageID,
    ev.sessionID,
    ev.url,
    ev.category,
    ev.visitorState,
    ev.data === undefined ? undefined : JSON.stringify(ev.data),
  ];
  return cells.map(csvCell).join(',') + '\r\n';
}
