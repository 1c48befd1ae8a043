// What every layer needs to know about an event name (contract sections 1 to 3), in one place:
// the tracker, the worker, the popup, the timeline picture and the companion's engine read it
// here instead of each switching on 'SignIn'. No dependencies: the standalone GPE.min.js bundles it.

/** GWE's SYSTEM events; any other name is a BUSINESS event's. */
export type SystemEventName = 'VisitStarted' | 'PageEntered' | 'PageExited' | 'SignIn' | 'SignOut' | 'UserInfo';
/** The SYSTEM events that change who the visitor is (contract section 3). */
export type IdentityEventName = 'SignIn' | 'SignOut' | 'UserInfo';
export type Identifier = 'userId' | 'email';

export interface EventNameInfo {
  system: true;
  /** Sent by the tracker itself: a page may not push it. */
  trackerOnly: boolean;
  /** SignIn opens a session, SignOut ends it, UserInfo recognises; null for the others. */
  transition: 'session-open' | 'session-close' | 'recognise' | null;
  /** The data fields that name a person, in the order they are read (SignIn: userId, else email). */
  identifiers: readonly Identifier[];
  /** A short label for people (popup, picture, web app). */
  label: string;
}

// One place, a column a fact. The tracker reads the columns themselves (TRACKER_ONLY,
// TRANSITIONS, IDENTIFIERS): GPE.min.js is built from it and must stay under 4 KB gzipped, so
// it carries neither LABELS nor SYSTEM_EVENT_NAMES (tree-shaken) nor a function a column.
// Literals with no prototype: a business event named "toString" or "constructor" finds nothing.
const LABELS = {
  __proto__: null,
  VisitStarted: 'Visit started',
  PageEntered: 'Page entered',
  PageExited: 'Page exited',
  SignIn: 'Signed in',
  SignOut: 'Signed out',
  UserInfo: 'Recognised (UserInfo)',
} as unknown as Readonly<Record<string, string | undefined>>;
/** Sent by the tracker itself: a page may not push them. */
export const TRACKER_ONLY: readonly string[] = ['VisitStarted', 'PageEntered', 'PageExited'];
/** The identity events (contract section 3): SignIn opens a session, SignOut ends it, UserInfo recognises. */
export const TRANSITIONS = {
  __proto__: null,
  SignIn: 'session-open',
  SignOut: 'session-close',
  UserInfo: 'recognise',
} as unknown as Readonly<Record<string, EventNameInfo['transition'] | undefined>>;
/** The data fields that name a person, in the order they are read (SignIn: userId, else email). */
export const IDENTIFIERS = {
  __proto__: null,
  SignIn: ['userId', 'email'],
  UserInfo: ['userId'],
} as unknown as Readonly<Record<string, readonly Identifier[] | undefined>>;

// Pure: GPE.min.js, which never lists them, leaves the list (and LABELS) out.
export const SYSTEM_EVENT_NAMES = /* @__PURE__ */ Object.keys(LABELS) as readonly SystemEventName[];

/** What GWE's system event of this name is, or undefined for a business event's name. */
export function systemEvent(name: string): EventNameInfo | undefined {
  const label = LABELS[name];
  if (label === undefined) return undefined;
  return { system: true, trackerOnly: TRACKER_ONLY.includes(name), transition: TRANSITIONS[name] ?? null, identifiers: IDENTIFIERS[name] ?? [], label };
}

/** True for SignIn, SignOut and UserInfo: the names that change the visitor's identification. */
export function isIdentityEvent(name: string): name is IdentityEventName {
  return !!TRANSITIONS[name];
}

/** An event (as the tracker sends it or the companion stores it) that is SignIn, SignOut or UserInfo. */
export function identityTransitionOf(e: { eventType: string; eventName: string }): IdentityEventName | undefined {
  return e.eventType === 'SYSTEM' && isIdentityEvent(e.eventName) ? e.eventName : undefined;
}

/** The identifier an identity event names (trimmed), read in its identifiers' order. */
export function namedIdentifier(eventName: string, data: Record<string, unknown> | undefined): string | undefined {
  for (const field of IDENTIFIERS[eventName] ?? []) {
    const v = data?.[field];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}
