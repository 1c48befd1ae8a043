// Shared helpers of the engine unit tests: apply tracker events as journal operations, seed the
// contact directory, and read a visit's state and identity links.
import { applyOperation, DEFAULT_ENGINE_CONFIG, emptyState, visitorStateOf, type EngineConfig, type LabState } from '../../../companion/engine';
import type { Contact, GtEvent } from '../../../protocol';
import { pageEntered, stored, visitCtx, visitStarted, type VisitCtx } from '../../helpers/events';

export const T0 = 1_700_000_000_000;
export const CFG = DEFAULT_ENGINE_CONFIG;

let seq = 0;

/**
 * An `apply(state, events, config?, userAgent?)` that applies the events as one `events`
 * operation (one arrival) with the next journal seq; userAgent is the request's User-Agent.
 */
export function applierWith(defaultUserAgent: string | null) {
  return (state: LabState, events: GtEvent[], config: EngineConfig = CFG, userAgent: string | null = defaultUserAgent) =>
    applyOperation(state, { seq: ++seq, op: { kind: 'events', userAgent, events: events.map((e) => stored(e)) } }, config);
}

/** Applies events as one arrival, sent with User-Agent 'UA/1'. */
export const apply = applierWith('UA/1');

export function seedContacts(state: LabState, contacts: Contact[]) {
  return applyOperation(state, { seq: ++seq, op: { kind: 'contacts', contacts } }, CFG);
}

/** The event with its browser time set to T0 + ms. */
export function at<E extends GtEvent>(e: E, ms: number): E {
  return { ...e, timestamp: T0 + ms };
}

/** The visit's state "now", right after its latest event. */
export function stateNow(state: LabState, visitId: string) {
  const visit = state.visits[visitId];
  return visitorStateOf(visit, visit.lastActivity, CFG);
}

export function link(state: LabState, visitId: string, identityId: string) {
  return state.visits[visitId].identities.find((l) => l.identityId === identityId);
}

/** A fresh state holding visit v1 (global g1), started at T0+1000 with page p1 entered at T0+2000. */
export function openVisit(): { state: LabState; c: VisitCtx } {
  const state = emptyState();
  const c = visitCtx('v1', 'g1', T0);
  apply(state, [visitStarted(c), pageEntered(c, 'p1')]);
  return { state, c };
}
