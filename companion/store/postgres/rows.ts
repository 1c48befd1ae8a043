// Records as stored in PostgreSQL and back: a record's `doc` is the record without the id lists
// that are rows of their own (schema.ts), which the loader fills in when it reads them.
import type { Contact } from '../../../protocol';
import { contactKeyOf, type IdentityRecord, type PageRecord, type RunRecord, type SessionRecord, type VisitRecord } from '../../engine';

export type Doc = Record<string, unknown>;

/** The text a record is compared by (before and after the engine ran on it) and stored as. */
export const docText = (doc: Doc): string => JSON.stringify(doc);

export function visitDoc(visit: VisitRecord): Doc {
  const { pageIds: _p, eventIds: _e, ...doc } = visit;
  return doc;
}

export function visitOf(doc: Doc, pageIds: string[] = [], eventIds: string[] = []): VisitRecord {
  return { ...(doc as Omit<VisitRecord, 'pageIds' | 'eventIds'>), pageIds, eventIds };
}

export function pageDoc(page: PageRecord): Doc {
  const { eventIds: _e, ...doc } = page;
  return doc;
}

export function pageOf(doc: Doc, eventIds: string[] = []): PageRecord {
  return { ...(doc as Omit<PageRecord, 'eventIds'>), eventIds };
}

export function identityDoc(identity: IdentityRecord): Doc {
  const { visitIds: _v, ...doc } = identity;
  return doc;
}

export function identityOf(doc: Doc, visitIds: string[] = []): IdentityRecord {
  return { ...(doc as Omit<IdentityRecord, 'visitIds'>), visitIds };
}

export function runDoc(run: RunRecord): Doc {
  const { eventIds: _e, visitIds: _v, ...doc } = run;
  return doc;
}

export function runOf(doc: Doc, eventIds: string[] = [], visitIds: string[] = []): RunRecord {
  return { ...(doc as Omit<RunRecord, 'eventIds' | 'visitIds'>), eventIds, visitIds };
}

export const sessionDoc = (s: SessionRecord): Doc => ({ ...s });

/** A contact row's lookup columns: the keys findContact compares (normalised as it does). */
export function contactKeys(c: Contact): [string | null, string | null, string | null] {
  return [contactKeyOf(c, 'userId') ?? null, contactKeyOf(c, 'email') ?? null, contactKeyOf(c, 'phone') ?? null];
}
