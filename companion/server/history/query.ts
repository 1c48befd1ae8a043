// Reading query strings: a known parameter with a bad value is a 400 that names it. An unknown
// one is a 400 too (the lab API: a typo such as `eventname` is not silently read as "no
// filter"), unless the caller collects the ignored names: the History API does, because GWE
// clients send parameters of their own (jQuery's `_=` cache-buster), and names them in the
// X-Ignored-Parameters response header instead.
import { badRequest } from '../errors';

export type ParamKind = 'bool' | 'text' | 'age' | 'pageSize' | 'pageKey' | readonly string[];

export type Spec = Record<string, ParamKind>;

export type Parsed = Record<string, string | number | boolean | undefined>;

export const MAX_PAGE_SIZE = 1000;
/** A collection asked for without page_size gives this many items (and Paging-Next when more follow). */
export const DEFAULT_PAGE_SIZE = 100;

function single(name: string, value: unknown): string {
  if (Array.isArray(value)) throw badRequest(name, 'given more than once');
  if (typeof value !== 'string') throw badRequest(name, 'must be a plain value');
  return value;
}

function parseOne(name: string, kind: ParamKind, raw: string): string | number | boolean {
  if (Array.isArray(kind)) {
    if (!kind.includes(raw)) throw badRequest(name, `must be one of ${kind.join(', ')}`);
    return raw;
  }
  switch (kind) {
    case 'bool':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw badRequest(name, 'must be true or false');
    case 'age': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || n < 0) throw badRequest(name, 'must be a number of seconds, 0 or more');
      return n;
    }
    case 'pageSize': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1 || n > MAX_PAGE_SIZE) throw badRequest(name, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
      return n;
    }
    case 'pageKey':
    case 'text':
      if (raw.length > 8192) throw badRequest(name, 'is too long');
      if (kind === 'text' && raw === '') throw badRequest(name, 'must not be empty');
      return raw;
  }
  return raw;
}

/**
 * The parameters of `spec`, parsed. An unknown parameter is a 400 naming it, or, when `ignored`
 * is given, added to it (whatever its value, even repeated) and left out.
 */
export function parseQuery(query: Record<string, unknown>, spec: Spec, ignored?: string[]): Parsed {
  const out: Parsed = {};
  for (const [name, value] of Object.entries(query)) {
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!kind) {
      if (ignored) {
        ignored.push(name);
        continue;
      }
      const known = Object.keys(spec);
      throw badRequest(name, `unknown parameter here${known.length ? ` (known: ${known.join(', ')})` : ''}`);
    }
    out[name] = parseOne(name, kind, single(name, value));
  }
  return out;
}

/** The include flags a resource kind understands. */
export function includeSpec(...lists: ('visits' | 'pages' | 'events')[]): Spec {
  const spec: Spec = {};
  for (const l of lists) {
    spec[`include_${l}`] = 'bool';
    spec[`include_${l}_detail`] = 'bool';
  }
  return spec;
}

export const PAGING: Spec = { page_size: 'pageSize', page_key: 'pageKey' };

export const IGNORED_HEADER = 'X-Ignored-Parameters';
const MAX_IGNORED_HEADER = 2000;

/**
 * The X-Ignored-Parameters value: the names, percent-encoded (a header holds ASCII only) and
 * comma-separated, cut at 2,000 characters (a trailing `...` says so); null when there are none.
 */
export function ignoredHeader(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  const encoded = names.map((n) => encodeURIComponent(n.replace(/\p{Cs}/gu, '\ufffd')));
  let text = '';
  for (const n of encoded) {
    const next = text ? `${text}, ${n}` : n;
    if (next.length > MAX_IGNORED_HEADER) return text ? `${text}, ...` : '...';
    text = next;
  }
  return text;
}
