// The identification engine's entry point: apply one journal operation to the state.
// No I/O and no clock: everything it needs is in the operation, so replaying the journal
// rebuilds exactly the state the companion had. It updates `state` in place (copying a
// 100,000-event state per event would defeat the point) and returns it.
import { identityIdOf, type Contact, type StoredEvent } from '../../protocol';
import type { Category } from '../categories/definitions';
import { enterPage, exitPage, holdForPage, pageOfEvent } from './pages';
import { signIn, signOut, userInfo } from './identities';
import { emptyState, own, type EngineConfig, type LabState, type VisitRecord } from './state';
import { eventTime, visitorStateOf } from './visitor-state';
import { createVisit, expireIfIdle, startVisit, touchVisit, visitForEvent, type VisitSeed } from './visits';
import { dropContactIndex, upsertContact } from './contacts';
import { counted, dropCounts } from './counts';
import { forgetVisits } from './forget';
import { applyRunOperation, dropRuns, noteRunEvent, runOf, type RunOperation } from './runs';

export type Operation =
  /** `runId`: the run the request's events belong to (its header, or the active run then). */
  | { kind: 'events'; userAgent: string | null; events: StoredEvent[]; runId?: string }
  | { kind: 'visit'; visit: VisitSeed }
  | { kind: 'contacts'; contacts: Contact[] }
  /** The companion started with other engine settings: they apply from here on. */
  | { kind: 'config'; config: EngineConfig }
  /** The category definitions from here on (the whole set: it replaces the last). */
  | { kind: 'categories'; categories: Category[] }
  | { kind: 'reset' }
  /** Visits forgotten whole (forget.ts); `runIds`: runs removed, their visits forgotten with them. */
  | { kind: 'forget'; visitIds: string[]; runIds?: string[] }
  | RunOperation;

export interface JournalRecord {
  seq: number;
  op: Operation;
}

/** Applies one event; the caller has validated it and made sure its eventID is new. Returns its visit. */
export function applyEvent(state: LabState, ev: StoredEvent, userAgent: string | null, config: EngineConfig): VisitRecord {
  const visit = visitForEvent(state, ev, userAgent);
  const at = eventTime(ev); // the browser's time, kept from running far ahead of the companion's
  expireIfIdle(state, visit, at, config);
  touchVisit(visit, at);
  let page = pageOfEvent(state, visit, ev);
  if (ev.eventType === 'SYSTEM') {
    switch (ev.eventName) {
      case 'VisitStarted':
        startVisit(visit, ev, userAgent);
        break;
      case 'PageEntered':
        page = enterPage(state, visit, ev);
        break;
      case 'PageExited':
        page = exitPage(state, visit, ev);
        break;
      // Without its identifier (stored with a warning at intake), it identifies no one.
      case 'SignIn':
        if (identityIdOf(ev) !== null) signIn(state, visit, ev);
        break;
      case 'SignOut':
        signOut(state, visit, ev);
        break;
      case 'UserInfo':
        if (identityIdOf(ev) !== null) userInfo(state, visit, ev);
        break;
    }
  }
  ev.visitorState = visitorStateOf(visit, at, config);
  state.events[ev.eventID] = ev;
  counted(state, 'events');
  visit.eventIds.push(ev.eventID);
  if (page) page.eventIds.push(ev.eventID);
  else if (ev.pageID !== undefined) holdForPage(visit, ev.pageID, ev.eventID);
  return visit;
}

/**
 * Applies one journal record. `config` is the companion's setting, used for data from before
 * the state kept its own (state.config, set by `config` records).
 */
export function applyOperation(state: LabState, record: JournalRecord, fallback: EngineConfig): LabState {
  const { op } = record;
  const config = state.config ?? fallback;
  switch (op.kind) {
    case 'events':
      for (const ev of op.events) {
        if (own(state.events, ev.eventID)) continue;
        const visit = applyEvent(state, ev, op.userAgent, config);
        if (op.runId !== undefined) noteRunEvent(state, op.runId, visit, ev.eventID);
      }
      break;
    case 'visit':
      if (!own(state.visits, op.visit.visitId)) createVisit(state, op.visit, false);
      break;
    case 'contacts':
      for (const contact of op.contacts) upsertContact(state, contact);
      break;
    case 'config':
      state.config = op.config;
      break;
    case 'categories':
      state.categories = op.categories;
      break;
    case 'reset': {
      // The settings and categories outlive a reset: they are the companion's, not the data's.
      const { config: kept, categories } = state;
      Object.assign(state, emptyState());
      delete state.runs; // runs are data: a reset forgets them too (emptyState has none to assign)
      delete state.activeRunId;
      if (kept) state.config = kept;
      if (categories) state.categories = categories;
      dropContactIndex(state);
      dropCounts(state);
      break;
    }
    case 'forget': {
      // A run's visits are those it has when this applies: events on their way when the
      // reset was asked for are forgotten with it, not left behind in a run that is gone.
      const ofRuns = (op.runIds ?? []).flatMap((id) => runOf(state, id)?.visitIds ?? []);
      forgetVisits(state, ofRuns.length ? [...op.visitIds, ...ofRuns] : op.visitIds);
      if (op.runIds) dropRuns(state, op.runIds);
      break;
    }
    default:
      applyRunOperation(state, op);
  }
  state.seq = record.seq;
  return state;
}
