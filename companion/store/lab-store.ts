// The companion's storage, as the server sees it: one small interface, two implementations.
// The embedded store (store.ts: the state in memory, a journal and a lowdb snapshot) and the
// PostgreSQL store (postgres/pg-store.ts: the state in tables, read a slice at a time).
// Readers ask for the part of the state they answer from (`Need`) and get a LabState holding at
// least that: the embedded store gives its whole state, the PostgreSQL store loads the part.
import type { StoredEvent } from '../../protocol';
import type { EngineConfig, LabState, Operation, VisitSeed } from '../engine';

export interface Need {
  /** false: the settings (categories, the active run) are not needed (a History read). */
  settings?: false;
  /** Visits by id, with their pageIds. */
  visits?: readonly string[];
  /** With `visits`: their pages. */
  visitPages?: boolean;
  /** With `visits`: their events' ids (visit.eventIds, and the loaded pages' eventIds), or their texts too. */
  visitEvents?: 'ids' | 'texts';
  /** With `visits`: the identities they link to (and those identities' contacts). */
  visitIdentities?: boolean;
  /** Pages by id, with their event id lists (and their visits, as `visits`). */
  pages?: readonly string[];
  /** Stored events by eventID. */
  events?: readonly string[];
  /** Identities by id (as given and canonical), with their visitIds. */
  identities?: readonly string[];
  /** With `identities`: their visits, as `visits` (with visitPages / visitEvents as asked). */
  identityVisits?: boolean;
  contacts?: readonly string[];
  /** Runs by id (or all of them), with their event and visit id lists. */
  runs?: readonly string[] | 'all';
  /** Every visit (visitOrder), with what `visitPages` and `visitEvents` ask for. */
  allVisits?: boolean;
  /** Every identity (identityOrder), with what `identityVisits` asks for. */
  allIdentities?: boolean;
  /** Every contact (the directory's order). */
  allContacts?: boolean;
  /** With `runs`: their visits, as `visits`. */
  runVisits?: boolean;
}

/** How many of each the store holds (GET /lab/health). */
export interface StoreCounts {
  visits: number;
  pages: number;
  events: number;
  identities: number;
  sessions: number;
  contacts: number;
}

/** What a poller compares to know whether to read again (GET /lab/changes). */
export interface StoreChanges {
  seq: number;
  visits: number;
}

/**
 * A stretch of one of the store's ordered collections, to page through without reading it all:
 * the entries from position `after` on (that one included, when it is there) and `count` more.
 * A position is the store's own (an index in the embedded store's list, a row's order in the
 * database); Paging-Next keys carry it. `since` and `globalVisitID` (visits only) may be
 * applied by the store or left to the reader's filter: the reader checks every entry again.
 */
export interface Window {
  /** `events`: the events of the visit `visitId` or of the page `pageId`, in the order they were applied. */
  list: 'visits' | 'identities' | 'contacts' | 'events';
  visitId?: string;
  pageId?: string;
  after: number | null;
  count: number;
  since?: number;
  globalVisitID?: string;
  /** From the newest back (positions before `after`). */
  newestFirst?: boolean;
}

export interface Placed {
  pos: number;
  id: string;
}

/** Which visits retention would forget now: those quiet since before `activeBefore`, or the oldest past `keepEvents` events. */
export interface RetireQuery {
  activeBefore?: number;
  /** Forget the visits first heard of longest ago until at most this many events remain. */
  keepEvents?: number;
  /** At most this many visits in one answer. */
  limit: number;
}

export interface Retirement {
  visitIds: string[];
  /** How many events those visits hold. */
  events: number;
}

export interface LabStore {
  /** 'embedded' or 'postgres': health and the start banner say which. */
  readonly kind: 'embedded' | 'postgres';
  /** Where the data is: a folder, or the database (its URL without the password). */
  readonly location: string;
  readonly startedAt: number;
  /** The engine settings the data is computed with. */
  readonly config: EngineConfig;
  /** A state holding at least what `need` names (the embedded store's is the whole state). */
  read(need: Need): Promise<LabState>;
  /**
   * Stores the events whose eventID is new; returns the eventIDs already stored (durably so).
   * `prepare` first sees a state holding the events' visits, their pages and the categories,
   * and may change the events (intake labels them with their categories): in the same
   * transaction as the write where the store has them, so it reads what the write builds on.
   */
  submitEvents(events: StoredEvent[], userAgent: string | null, runId?: string, prepare?: (state: LabState) => void): Promise<Set<string>>;
  /** Creates a visit (POST /server/data/visits); false when one with its id exists. */
  createVisit(seed: VisitSeed): Promise<boolean>;
  /** Applies an operation durably; resolves once it is committed. */
  commit(op: Operation): Promise<void>;
  /** Whether window() applies `since` and `globalVisitID` itself (else a filtered page scans further). */
  readonly windowFilters: boolean;
  /** A stretch of a collection's ids with their positions (see Window). */
  window(w: Window): Promise<Placed[]>;
  /** The visits retention forgets next (the caller forgets them with a `forget` operation). */
  retirement(q: RetireQuery): Promise<Retirement>;
  counts(): Promise<StoreCounts>;
  changes(): Promise<StoreChanges>;
  /** Waits for what is queued to be committed. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Adds the stored events `ids` to a state read before (a page's stretch, a run's captured
 * events). The embedded store's state holds them already: it is the state it gives.
 */
export async function readEventsInto(store: LabStore, state: LabState, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const more = await store.read({ events: ids });
  if (more.events !== state.events) Object.assign(state.events, more.events);
}
