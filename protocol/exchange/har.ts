// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/) for intake traffic: one entry per
// POST /server/events, with the events as its body and the companion's answer, so an export
// opens in Chrome DevTools' Network panel; and the reading of a HAR (one saved from DevTools,
// say) back into intake requests to replay. Pure: the companion streams the entries, the
// extension can build a whole log.
import type { Creator, Entry, Har, Header } from 'har-format';
import { MAX_EVENTS_PER_REQUEST, type IntakeResponse } from '../intake';
import type { Problem } from '../problems';
import { sentEvent, type ExportRequest, type ImportRequest, type Parsed } from './document';

export const HAR_VERSION = '1.2';
/** The path intake answers on; a HAR entry that posts anywhere else is not replayed. */
export const INTAKE_PATH = '/server/events';

/** UTF-8 bytes of a string without encoding it (HAR sizes are in bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** What intake answered for events it stored: each accepted, in order. */
export function acceptedResponse(request: ExportRequest): IntakeResponse {
  const results = request.events.map((ev, index) => ({ index, eventID: ev.eventID, status: 'accepted' as const }));
  return { accepted: results.length, duplicate: 0, rejected: 0, results };
}

/**
 * The HAR entry of one intake request. `intakeUrl` is the companion's POST /server/events
 * URL; the request started at its serverTimestamp (ms, as the ISO time keeps them, so an
 * import gets it back exactly) and took no measured time.
 */
export function harEntry(request: ExportRequest, intakeUrl: string, response: IntakeResponse = acceptedResponse(request)): Entry {
  const body = JSON.stringify(request.events.map(sentEvent));
  const answer = JSON.stringify(response);
  const headers: Header[] = [{ name: 'Content-Type', value: 'application/json' }];
  if (request.userAgent !== null) headers.push({ name: 'User-Agent', value: request.userAgent });
  const status = response.accepted + response.duplicate > 0 ? 200 : 400;
  return {
    startedDateTime: new Date(request.serverTimestamp).toISOString(),
    time: 0,
    request: {
      method: 'POST',
      url: intakeUrl,
      httpVersion: 'HTTP/1.1',
      headers,
      queryString: [],
      cookies: [],
      headersSize: -1,
      bodySize: utf8Length(body),
      postData: { mimeType: 'application/json', text: body },
    },
    response: {
      status,
      statusText: status === 200 ? 'OK' : 'Bad Request',
      httpVersion: 'HTTP/1.1',
      headers: [{ name: 'Content-Type', value: 'application/json; charset=utf-8' }],
      cookies: [],
      content: { size: utf8Length(answer), mimeType: 'application/json', text: answer },
      redirectURL: '',
      headersSize: -1,
      bodySize: utf8Length(answer),
    },
    cache: {},
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait: 0, receive: 0 },
    // DevTools files such requests under Fetch/XHR.
    _resourceType: 'fetch',
  };
}

/** A HAR log's text around its entries, for a writer that streams them: head, entries joined by commas, tail. */
export function harFrame(creator: Creator): { head: string; tail: string } {
  const log = JSON.stringify({ log: { version: HAR_VERSION, creator, entries: [] } });
  const at = log.lastIndexOf('[]');
  return { head: log.slice(0, at + 1), tail: log.slice(at + 1) };
}

/** A whole HAR log (small exports; the companion streams its own). */
export function harOf(requests: ExportRequest[], intakeUrl: string, creator: Creator): Har {
  return { log: { version: HAR_VERSION, creator, entries: requests.map((r) => harEntry(r, intakeUrl)) } };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether the URL is a POST /server/events (any host: a HAR from another machine's companion). */
function postsToIntake(request: Record<string, unknown>): boolean {
  if (typeof request.method !== 'string' || request.method.toUpperCase() !== 'POST' || typeof request.url !== 'string') return false;
  try {
    return new URL(request.url).pathname.replace(/\/+$/, '') === INTAKE_PATH;
  } catch {
    return false;
  }
}

function headerOf(headers: unknown, name: string): string | null {
  if (!Array.isArray(headers)) return null;
  const h = headers.find((x) => isObject(x) && typeof x.name === 'string' && x.name.toLowerCase() === name);
  return h && typeof h.value === 'string' ? h.value : null;
}

const bad = (field: string, reason: string): { ok: false; problem: Problem } => ({ ok: false, problem: { field, reason } });

/**
 * The intake requests of a HAR: its entries that POST to /server/events, in order, each with
 * its body's events, its start as serverTimestamp and its User-Agent. Other entries (the
 * page, its scripts, History API reads) are skipped.
 */
export function parseHar(doc: Record<string, unknown>): Parsed<ImportRequest[]> {
  const log = doc.log;
  if (!isObject(log)) return bad('log', 'must be an object (a HAR file: {"log": {"entries": [...]}})');
  if (!Array.isArray(log.entries)) return bad('log.entries', 'must be an array of HAR entries');
  const out: ImportRequest[] = [];
  for (let i = 0; i < log.entries.length; i++) {
    const entry = log.entries[i];
    const at = `log.entries[${i}]`;
    if (!isObject(entry) || !isObject(entry.request) || !postsToIntake(entry.request)) continue;
    const started = typeof entry.startedDateTime === 'string' ? Date.parse(entry.startedDateTime) : NaN;
    if (!Number.isFinite(started)) return bad(`${at}.startedDateTime`, 'must be an ISO 8601 date and time');
    const text = isObject(entry.request.postData) ? entry.request.postData.text : undefined;
    if (typeof text !== 'string') return bad(`${at}.request.postData.text`, 'must hold the events posted (a JSON text)');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (e) {
      return bad(`${at}.request.postData.text`, `is not JSON (${(e as Error).message})`);
    }
    const events = Array.isArray(body) ? body : [body];
    if (events.length === 0) continue; // intake stored nothing of it either
    // A request larger than intake takes is split: every event is still replayed.
    for (let from = 0; from < events.length; from += MAX_EVENTS_PER_REQUEST) {
      out.push({ serverTimestamp: started, userAgent: headerOf(entry.request.headers, 'user-agent'), events: events.slice(from, from + MAX_EVENTS_PER_REQUEST), at });
    }
  }
  if (out.length === 0) return bad('log.entries', `no entry posts to ${INTAKE_PATH}: nothing to import`);
  return { ok: true, value: out };
}
