// Reading what POST /lab/import is given: a Visitor Lab JSON export, or a HAR. Each field is
// checked before anything is replayed, so a broken document is a 400 naming the field rather
// than half an import; the events themselves are intake's to judge, one by one.
import { parseContacts } from '../contacts';
import { idProblem } from '../events';
import { MAX_EVENTS_PER_REQUEST } from '../intake';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportVisit, type ImportPlan, type ImportRequest, type Parsed } from './document';
import { parseHar } from './har';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const bad = (field: string, reason: string): { ok: false; problem: { field: string; reason: string } } => ({ ok: false, problem: { field, reason } });

function parseRequest(r: unknown, at: string): Parsed<ImportRequest> {
  if (!isObject(r)) return bad(at, 'must be an object {serverTimestamp, userAgent, events}');
  if (!isTime(r.serverTimestamp)) return bad(`${at}.serverTimestamp`, 'must be ms since 1970 (a whole number, 0 or more)');
  if (r.userAgent !== undefined && r.userAgent !== null && typeof r.userAgent !== 'string') return bad(`${at}.userAgent`, 'must be a string or null');
  if (!Array.isArray(r.events) || r.events.length === 0) return bad(`${at}.events`, 'must be a non-empty array of events');
  if (r.events.length > MAX_EVENTS_PER_REQUEST) return bad(`${at}.events`, `must hold at most ${MAX_EVENTS_PER_REQUEST} events (intake's limit)`);
  return { ok: true, value: { serverTimestamp: r.serverTimestamp, userAgent: (r.userAgent as string | null | undefined) ?? null, events: r.events, at } };
}

function parseVisit(v: unknown, at: string): Parsed<ExportVisit> {
  if (!isObject(v)) return bad(at, 'must be an object {visitId, globalVisitID, startDate, userAgent}');
  for (const key of ['visitId', 'globalVisitID'] as const) {
    const value = v[key];
    const problem = typeof value === 'string' ? idProblem(value) : 'must be a string';
    if (problem) return bad(`${at}.${key}`, problem);
  }
  if (!isTime(v.startDate)) return bad(`${at}.startDate`, 'must be ms since 1970 (a whole number, 0 or more)');
  if (v.userAgent !== null && typeof v.userAgent !== 'string') return bad(`${at}.userAgent`, 'must be a string or null');
  return { ok: true, value: { visitId: v.visitId as string, globalVisitID: v.globalVisitID as string, startDate: v.startDate, userAgent: v.userAgent } };
}

/** Checks each item of an optional list; absent is empty. */
function listOf<T>(doc: Record<string, unknown>, key: string, parse: (item: unknown, at: string) => Parsed<T>): Parsed<T[]> {
  const list = doc[key];
  if (list === undefined) return { ok: true, value: [] };
  if (!Array.isArray(list)) return bad(key, 'must be an array');
  const out: T[] = [];
  for (let i = 0; i < list.length; i++) {
    const parsed = parse(list[i], `${key}[${i}]`);
    if (!parsed.ok) return parsed;
    out.push(parsed.value);
  }
  return { ok: true, value: out };
}

/** A Visitor Lab JSON export (GET /lab/export?format=json) as the requests to replay. */
export function parseExportDocument(doc: Record<string, unknown>): Parsed<ImportPlan> {
  if (doc.format !== EXPORT_FORMAT) return bad('format', `must be "${EXPORT_FORMAT}"`);
  if (doc.version !== EXPORT_VERSION) return bad('version', `must be ${EXPORT_VERSION} (the export version this companion reads)`);
  if (!Array.isArray(doc.requests)) return bad('requests', 'must be an array of intake requests');
  const requests = listOf(doc, 'requests', parseRequest);
  if (!requests.ok) return requests;
  const visits = listOf(doc, 'visits', parseVisit);
  if (!visits.ok) return visits;
  let contacts: ImportPlan['contacts'] = [];
  if (doc.contacts !== undefined) {
    if (!Array.isArray(doc.contacts)) return bad('contacts', 'must be an array');
    const parsed = parseContacts(doc.contacts);
    if (!parsed.ok) return bad(`contacts${parsed.problem.field}`, parsed.problem.reason);
    contacts = parsed.contacts;
  }
  return { ok: true, value: { source: 'json', contacts, visits: visits.value, requests: requests.value } };
}

/** What POST /lab/import takes: a JSON export (it has `format`) or a HAR (it has `log`). */
export function parseImport(body: unknown): Parsed<ImportPlan> {
  const neither = 'must be a Visitor Lab export (a JSON object with "format": "visitor-lab-export") or a HAR (a JSON object with "log")';
  if (!isObject(body)) return bad('body', neither);
  if ('format' in body) return parseExportDocument(body);
  if ('log' in body) {
    const requests = parseHar(body);
    return requests.ok ? { ok: true, value: { source: 'har', contacts: [], visits: [], requests: requests.value } } : requests;
  }
  return bad('body', neither);
}
