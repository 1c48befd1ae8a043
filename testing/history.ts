// A typed client of GWE's History REST API as the companion serves it (docs/api.md): every
// collection read whole, following Paging-Next.
import type { StoredEvent } from '../protocol/events';
import type { IdentityResource, PageResource, VisitResource } from '../protocol/resources';
import type { Http } from './http';

/** Query parameters of a History read (filters, includes, `age`...): see docs/api.md. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface HistoryClient {
  visits(query?: Query): Promise<VisitResource[]>;
  /** One visit; `events` and `pages` embed them (include_X=true&include_X_detail=true). */
  visit(visitId: string, options?: { events?: boolean; pages?: boolean }): Promise<VisitResource | null>;
  visitEvents(visitId: string, query?: Query & { eventName?: string }): Promise<StoredEvent[]>;
  visitPages(visitId: string, query?: Query): Promise<PageResource[]>;
  identities(query?: Query): Promise<IdentityResource[]>;
  identity(identityId: string): Promise<IdentityResource | null>;
  identityVisits(identityId: string, query?: Query): Promise<VisitResource[]>;
  identityEvents(identityId: string, query?: Query & { eventName?: string }): Promise<StoredEvent[]>;
  /** A visit's events of one name (GWE's eventName filter). */
  eventsByName(visitId: string, eventName: string): Promise<StoredEvent[]>;
}

const BASE = '/server/data';
const enc = encodeURIComponent;

function queryString(query: Query = {}): string {
  const parts = Object.entries(query)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function historyClient(h: Http): HistoryClient {
  /** Every page of a collection, in order. */
  const all = async <T,>(path: string, query: Query = {}): Promise<T[]> => {
    const items: T[] = [];
    let key: string | undefined;
    for (;;) {
      const a = await h.send<T[]>('GET', `${BASE}${path}${queryString({ page_size: 1000, ...query, page_key: key })}`);
      if (a.status !== 200) await h.json('GET', `${BASE}${path}${queryString(query)}`); // throws with the companion's words
      items.push(...a.body);
      key = a.headers.get('paging-next') ?? undefined;
      if (!key) return items;
    }
  };
  const one = async <T,>(path: string): Promise<T | null> => {
    const a = await h.send<T | T[]>('GET', `${BASE}${path}`);
    if (a.status === 404) return null;
    const body = await (a.status === 200 ? a.body : h.json<T>('GET', `${BASE}${path}`));
    // GWE answers an identity as a one-element array.
    return Array.isArray(body) ? ((body[0] as T | undefined) ?? null) : body;
  };
  const includes = (o: { events?: boolean; pages?: boolean }) =>
    queryString({
      ...(o.events ? { include_events: true, include_events_detail: true } : {}),
      ...(o.pages ? { include_pages: true, include_pages_detail: true } : {}),
    });
  return {
    visits: (q) => all('/visits', q),
    visit: (id, o = {}) => one(`/visits/${enc(id)}${includes(o)}`),
    visitEvents: (id, q) => all(`/visits/${enc(id)}/events`, q),
    visitPages: (id, q) => all(`/visits/${enc(id)}/pages`, q),
    identities: (q) => all('/identities', q),
    identity: (id) => one(`/identities/${enc(id)}`),
    identityVisits: (id, q) => all(`/identities/${enc(id)}/visits`, q),
    identityEvents: (id, q) => all(`/identities/${enc(id)}/events`, q),
    eventsByName: (id, name) => all(`/visits/${enc(id)}/events`, { eventName: name }),
  };
}
