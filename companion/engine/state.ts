// The identification state: everything the companion knows, as plain JSON-able records.
// It is what the snapshot file holds; the id lists inside the records are the indexes
// the History API reads through, so nothing has to be rebuilt at start-up. Those lists are
// only ever appended to: the store's snapshots rely on a list's first n ids never changing.
import type { Contact, PageResource, StoredEvent, VisitScope } from '../../protocol';
import type { Category } from '../categories/definitions';
import type { RunRecord } from './runs';

export interface VisitIdentityLink {
  identityId: string;
  /** The identity's scope in this visit (GWE's `association`). */
  scope: VisitScope;
  /** Browser time of the transition that set `scope`. */
  since: number;
}

export interface VisitRecord {
  visitId: string;
  globalVisitID: string;
  startDate: number;
  /** Latest browser timestamp seen for this visit; expiry counts from it. */
  lastActivity: number;
  userAgent: string | null;
  userAgentId: string | null;
  /** True until a VisitStarted (or a History API POST) for it arrives. */
  implicit: boolean;
  pageIds: string[];
  eventIds: string[];
  identities: VisitIdentityLink[];
  activeSessionId: string | null;
  /** Time of the first UserInfo in this visit, or null. */
  userInfoAt: number | null;
  /**
   * Time of a SignOut that came with no session open: if the SignIn it ends arrives after it
   * (out of order), that session is closed at this time.
   */
  orphanSignOutAt: number | null;
  /**
   * Events that named a page of this visit before the page existed (out of order, or
   * VisitStarted before its PageEntered), under `p:<browserPageID>` (a prefix, so no page id
   * can be `__proto__`); the page takes them when it is made. Absent when there are none.
   */
  unpaged?: Record<string, string[]>;
}

/** A page as stored: the resource's own fields, its full event list, and what out-of-order needs. */
export interface PageRecord extends Omit<PageResource, 'eventIds' | 'events'> {
  /** False while only a PageExited has been seen for it (out of order). */
  entered: boolean;
  eventIds: string[];
}

export interface IdentityRecord {
  identityId: string;
  name: string;
  location: string | null;
  entityInCS: string | null;
  visitScope: VisitScope;
  /** Browser time of the identity's latest transition. */
  since: number;
  profile: Record<string, unknown>;
  visitIds: string[];
}

export interface SessionRecord {
  sessionId: string;
  visitId: string;
  identityId: string;
  startDate: number;
  /** 0 while open. */
  endDate: number;
  endReason: 'SignOut' | 'SignIn' | 'expired' | null;
}

export interface LabState {
  /** Sequence number of the last journal record applied. */
  seq: number;
  /**
   * The engine settings the stored data was computed with (set by a `config` operation when
   * the companion starts with other settings): replaying the journal uses the settings each
   * record was first applied with, so a crash and a clean stop give the same answers.
   * Absent in data from before it was kept.
   */
  config?: EngineConfig;
  visits: Record<string, VisitRecord>;
  pages: Record<string, PageRecord>;
  /**
   * Events by eventID, as the JSON text they were stored as (eventOf parses one when it is
   * read): parsing 100,000 events up front was most of the start-up time, and strings are a
   * third of the memory of the objects. An event applied by a journal replay stays an object
   * until the next start.
   */
  events: Record<string, StoredEvent | string>;
  identities: Record<string, IdentityRecord>;
  /** Identity ids in creation order (GET /identities lists them so). */
  identityOrder: string[];
  visitOrder: string[];
  sessions: Record<string, SessionRecord>;
  contacts: Record<string, Contact>;
  /**
   * The categories events are labelled with at intake (set by a `categories` operation);
   * absent until some are defined.
   */
  categories?: Category[];
  /** Runs by runId (issue 11); absent in data from before runs (read as none). */
  runs?: Record<string, RunRecord>;
  /** The run events without a run header go to; absent or null: none. */
  activeRunId?: string | null;
}

export interface EngineConfig {
  /** Seconds of inactivity after which a visit ends (GWE's visitExpirationTime); 0: never. */
  visitExpirationTime: number;
}

export const DEFAULT_ENGINE_CONFIG: EngineConfig = { visitExpirationTime: 86400 };

export function emptyState(): LabState {
  return {
    seq: 0,
    visits: {},
    pages: {},
    events: {},
    identities: {},
    identityOrder: [],
    visitOrder: [],
    sessions: {},
    contacts: {},
  };
}

/** Lookups that must not fall through to Object.prototype (ids come from the outside). */
export function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/**
 * The stored event with this id, parsed from its stored text. It is not kept parsed: a read
 * that walks a big visit would otherwise turn a million compact strings into objects three
 * times their size, and the memory of a long-running companion would depend on what was read.
 */
export function eventOf(state: LabState, eventID: string): StoredEvent {
  const row = state.events[eventID];
  return typeof row === 'string' ? (JSON.parse(row) as StoredEvent) : row;
}

const NAME_AT = ['{"eventType":"SYSTEM","eventName":"', '{"eventType":"BUSINESS","eventName":"'];

/**
 * The stored event's eventName, read from its text without parsing it when the text starts as
 * the companion writes events (eventType, then eventName); else parsed.
 */
export function eventNameOf(state: LabState, eventID: string): string {
  const row = state.events[eventID];
  if (typeof row !== 'string') return row.eventName;
  const head = row.startsWith(NAME_AT[0]) ? NAME_AT[0] : row.startsWith(NAME_AT[1]) ? NAME_AT[1] : null;
  if (head) {
    const end = row.indexOf('"', head.length);
    const name = row.slice(head.length, end);
    if (end > 0 && !name.includes('\\')) return name;
  }
  return (JSON.parse(row) as StoredEvent).eventName;
}
