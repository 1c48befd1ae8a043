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

// No prototype: a business event named "toString" or "constructor" must find nothing here.
const NAMES: Record<string, EventNameInfo | undefined> = Object.assign(Object.create(null) as object, {
  VisitStarted: { system: true, trackerOnly: true, transition: null, identifiers: [], label: 'Visit started' },
  PageEntered: { system: true, trackerOnly: true, transition: null, identifiers: [], label: 'Page entered' },
  PageExited: { system: true, trackerOnly: true, transition: null, identifiers: [], label: 'Page exited' },
  SignIn: { system: true, trackerOnly: false, transition: 'session-open', identifiers: ['userId', 'email'], label: 'Signed in' },
  SignOut: { system: true, trackerOnly: false, transition: 'session-close', identifiers: [], label: 'Signed out' },
  UserInfo: { system: true, trackerOnly: false, transition: 'recognise', identifiers: ['userId'], label: 'Recognised (UserInfo)' },
} satisfies Record<SystemEventName, EventNameInfo>);

export const SYSTEM_EVENT_NAMES = Object.keys(NAMES) as readonly SystemEventName[];

/** What GWE's system event of this name is, or undefined for a business event's name. */
export function systemEvent(name: string): EventNameInfo | undefined {
  return NAMES[name];
}

/** True for SignIn, SignOut and UserInfo: the names that change the visitor's identification. */
export function isIdentityEvent(name: string): name is IdentityEventName {
  return !!NAMES[name]?.transition;
}

/** An event (as the tracker sends it or the companion stores it) that is SignIn, SignOut or UserInfo. */
export function identityTransitionOf(e: { eventType: string; eventName: string }): IdentityEventName | undefined {
  return e.eventType === 'SYSTEM' && isIdentityEvent(e.eventName) ? e.eventName : undefined;
}

/** The identifier an identity event names (trimmed), read in its identifiers' order. */
export function namedIdentifier(eventName: string, data: Record<string, unknown> | undefined): string | undefined {
  for (const field of NAMES[eventName]?.identifiers ?? []) {
    const v = data?.[field];
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}
