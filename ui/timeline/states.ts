// The visitor-state band and the session spans, from a story's moments (contract section 3,
// docs/identification.md "Visitor state of a visit"): Authenticated while a session is open;
// else Recognized after a UserInfo in this visit; else Anonymous. A stored event's own
// visitorState (moment.stateAfter) wins over this derivation: the companion knows best.
import type { VisitorState } from '../../protocol/events';
import type { Moment, Story } from './story';
import { identityTransitionOf, namedIdentifier } from '../../protocol/event-names';

export type StateCauseKind = 'start' | 'SignIn' | 'SignOut' | 'UserInfo' | 'event' | 'end' | 'companion';

/** What turned the band to a segment's state. */
export interface StateCause {
  kind: StateCauseKind;
  /** Written on the band and read out: `SignIn ann@shop.test`, `visit ended`. */
  label: string;
  /** The moment that caused it (none for the start, the visit's end, the companion's word). */
  momentKey?: string;
  /** The identity a SignIn or UserInfo named. */
  identity?: string;
}

export interface StateSegment {
  state: VisitorState;
  start: number;
  end: number;
  cause: StateCause;
  /** The signed-in (or recognized) identity, when one is known. */
  identity?: string;
}

export interface SessionSpan {
  sessionID: string;
  start: number;
  end: number;
  /** Still open at the end of the story (no SignOut, no next SignIn, the visit not ended). */
  open: boolean;
  identity?: string;
}

export interface StateTrack {
  segments: StateSegment[];
  sessions: SessionSpan[];
  /** Each moment's state before and after it (by key). */
  before: Map<string, VisitorState>;
  after: Map<string, VisitorState>;
}

/** Rejected moments never reached the companion: they change nothing. */
export function isRejected(m: Moment): boolean {
  return m.delivery?.state === 'rejected' || m.command?.outcome === 'rejected';
}

/** The identity a SignIn (userId, else email) or UserInfo (userId) names, as sent. */
export function namedIdentity(m: Moment): string | undefined {
  const e = m.event;
  if (!e || e.eventType !== 'SYSTEM') return undefined;
  return namedIdentifier(e.eventName, e.data);
}

function causeOf(m: Moment): StateCause {
  const name = m.event?.eventName ?? 'command';
  const identity = namedIdentity(m);
  const kind: StateCauseKind = (m.event && identityTransitionOf(m.event)) || 'event';
  return { kind, label: identity ? `${name} ${identity}` : name, momentKey: m.key, identity };
}

/**
 * The band, the sessions and each moment's state before/after, over [start, end] (the picture's
 * time domain: the band reaches its end, so an open visit's state runs on to `now`).
 */
export function trackStates(story: Story, moments: Moment[], start: number, end: number): StateTrack {
  const segments: StateSegment[] = [];
  const sessions: SessionSpan[] = [];
  const before = new Map<string, VisitorState>();
  const after = new Map<string, VisitorState>();
  let state: VisitorState = 'Anonymous';
  let identity: string | undefined;
  let userInfo = false;
  let session: SessionSpan | undefined;
  segments.push({ state, start, end, cause: { kind: 'start', label: 'visit started' } });

  const change = (at: number, next: VisitorState, cause: StateCause, forced: boolean) => {
    let last = segments[segments.length - 1];
    if (next === last.state && !forced) return;
    const who = next === 'Anonymous' ? undefined : identity;
    // A change at the segment's very start replaces it (several events in one millisecond).
    if (at <= last.start) {
      if (segments.length === 1) {
        segments[0] = { ...last, state: next, cause, identity: who };
        return;
      }
      segments.pop();
      last = segments[segments.length - 1];
      if (next === last.state && !forced) {
        last.end = end;
        return;
      }
    }
    last.end = at;
    segments.push({ state: next, start: at, end, cause, identity: who });
  };
  const closeSession = (at: number) => {
    if (session) sessions.push({ ...session, end: at, open: false });
    session = undefined;
  };

  for (const m of moments) {
    before.set(m.key, state);
    const e = m.event;
    if (e && !isRejected(m)) {
      let forced = false;
      // One naming no one identifies no one (the companion opens no session for it either).
      const named = identityTransitionOf(e);
      const transition = named === 'SignOut' || namedIdentity(m) ? named : undefined;
      if (transition === 'SignIn') {
        closeSession(m.at);
        identity = namedIdentity(m) ?? identity;
        session = { sessionID: e.sessionID ?? `session-${e.eventID}`, start: m.at, end, open: true, identity };
        forced = true; // a SignIn while signed in (another person) is a change too
      } else if (transition === 'SignOut') {
        closeSession(m.at);
      } else if (transition === 'UserInfo') {
        userInfo = true;
        identity = namedIdentity(m) ?? identity;
      } else if (e.sessionID && !session) {
        // Its SignIn is not in the story (lost, or before the capture began): the session shows.
        session = { sessionID: e.sessionID, start: m.at, end, open: true, identity };
      }
      const derived: VisitorState = session ? 'Authenticated' : userInfo ? 'Recognized' : 'Anonymous';
      const next = m.stateAfter ?? derived;
      change(m.at, next, causeOf(m), forced);
      state = next;
    }
    after.set(m.key, state);
  }

  if (story.endedAt !== undefined && story.endedAt <= end) {
    closeSession(story.endedAt);
    // Expiry closes the session but is no SignOut: Recognized still needs a UserInfo.
    const next: VisitorState = state === 'Authenticated' ? (userInfo ? 'Recognized' : 'Anonymous') : state;
    change(story.endedAt, next, { kind: 'end', label: 'visit ended' }, true);
    state = next;
  }
  if (session) sessions.push({ ...session, end, open: true });
  // The companion's word on the visit now wins over what the moments tell (an expiry the story
  // does not show, a SignIn sent by another tab).
  if (story.visitorState && story.visitorState !== state) {
    change(end, story.visitorState, { kind: 'companion', label: `the companion says ${story.visitorState}` }, false);
  }
  return { segments, sessions, before, after };
}
