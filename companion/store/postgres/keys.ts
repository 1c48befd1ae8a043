// Ids as PostgreSQL keeps them. A GWE id may hold any character, NUL included (intake stores
// what GWE would), but PostgreSQL text cannot hold NUL: ids are escaped in key columns (a
// backslash doubled, NUL as \0), a bijection that leaves ordinary ids as they are. Applied in one
// place, the client every query goes through: every plain string parameter is a key and is
// escaped; JSON texts (docs, event bodies: never a raw NUL in them, JSON escapes it) are passed
// wrapped in `jsonText`; result columns named *_id are keys and are unescaped.
import type { PoolClient, QueryResultRow } from 'pg';

const escapeKey = (s: string): string => (s.includes('\\') || s.includes('\0') ? s.replace(/\\/g, '\\\\').replace(/\0/g, '\\0') : s);
const unescapeKey = (s: string): string => (s.includes('\\') ? s.replace(/\\(\\|0)/g, (_, c: string) => (c === '0' ? '\0' : '\\')) : s);

/** A parameter passed as is: JSON text for a json or text column that holds a document. */
export class JsonText {
  constructor(readonly text: string) {}
}
export const jsonText = (text: string): JsonText => new JsonText(text);

function param(v: unknown): unknown {
  if (typeof v === 'string') return escapeKey(v);
  if (v instanceof JsonText) return v.text;
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? escapeKey(x) : x instanceof JsonText ? x.text : x));
  return v;
}

/** A client whose queries escape keys going in and unescape the *_id columns coming out. */
export function keyed(client: PoolClient): PoolClient {
  const query = client.query.bind(client) as (text: string, params?: unknown[]) => Promise<{ rows: QueryResultRow[] }>;
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver);
      return async (text: string, params?: unknown[]) => {
        const result = await query(text, params?.map(param));
        for (const row of result.rows) for (const k in row) if (k.endsWith('_id') && typeof row[k] === 'string') row[k] = unescapeKey(row[k]);
        return result;
      };
    },
  });
}
