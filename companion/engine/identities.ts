// Identities and the identity transitions of contract section 3: SignIn makes the visitor
// Authenticated (new session, identity found or created, contact matched or created);
// SignOut ends the session (scope Recognized); UserInfo marks the visit Recognized.
import { identityIdOf, type GtEvent, type VisitScope } from '../../protocol';
import { findContact, newContactId, upsertContact, type ContactKeys } from './contacts';
import { mergeProfile } from './profile';
import { closeSession, openSession, sessionCandidate } from './sessions';
import { own, type IdentityRecord, type LabState, type VisitRecord } from './state';
import { eventTime } from './visitor-state';
import { namedIdentifier } from '../../protocol/event-names';

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

/** An identifier for the contact directory: NFKC and trimmed, as identityIds are (case is the directory's to compare). */
const identifier = (v: unknown) => (typeof v === 'string' ? str(v.normalize('NFKC')) : undefined);

/**
 * The identity an identifying event names: its canonical identityId (identityIdOf), or the
 * identifier as sent when only that names a stored identity (one stored before identityIds
 * were canonical: its events go on reaching it).
 */
function identityIdFor(state: LabState, ev: GtEvent): string {
  const id = identityIdOf(ev)!;
  if (own(state.identities, id)) return id;
  const asSent = namedIdentifier(ev.eventName, ev.data);
  return asSent !== undefined && own(state.identities, asSent) ? asSent : id;
}

function nameOf(identityId: string, profile: Record<string, unknown>): string {
  const full = [str(profile.firstName), str(profile.lastName)].filter(Boolean).join(' ');
  return full || str(profile.name) || identityId;
}

/** Finds or creates the identity an identifying event names, and links it to a contact. */
function ensureIdentity(state: LabState, ev: GtEvent, identityId: string): IdentityRecord {
  const data = ev.data ?? {};
  let identity = own(state.identities, identityId);
  if (!identity) {
    identity = {
      identityId,
      name: identityId,
      location: null,
      entityInCS: null,
      visitScope: 'Recognized',
      since: eventTime(ev),
      profile: {},
      visitIds: [],
    };
    state.identities[identityId] = identity;
    state.identityOrder.push(identityId);
  }
  // The profile keeps what the site said of the person, newest value winning (bounded).
  mergeProfile(identity, data);
  identity.name = nameOf(identityId, identity.profile);
  identity.location = str(data.location) ?? identity.location;
  if (identity.entityInCS === null || !own(state.contacts, identity.entityInCS)) {
    identity.entityInCS = linkContact(state, ev, identityId);
  }
  return identity;
}

function linkContact(state: LabState, ev: GtEvent, identityId: string): string {
  const data = ev.data ?? {};
  // NFKC: a full-width userId, address or phone number finds the contact its plain form names.
  const keys = { userId: identifier(data.userId), email: identifier(data.email), phone: identifier(data.phone) };
  const found = findContact(state, keys);
  if (found) return found.contactId;
  const contact = upsertContact(state, {
    contactId: newContactId(state, identityId),
    ...(keys.userId ? { userId: keys.userId } : {}),
    ...(keys.email ? { email: keys.email } : {}),
    ...(keys.phone ? { phone: keys.phone } : {}),
    ...(str(data.firstName) ? { firstName: str(data.firstName) } : {}),
    ...(str(data.lastName) ? { lastName: str(data.lastName) } : {}),
    origin: ev.eventName === 'SignIn' ? 'SignIn' : 'UserInfo',
  });
  return contact.contactId;
}

/** Sets the identity's scope in this visit (GWE's association) and its overall visitScope. */
function associate(visit: VisitRecord, identity: IdentityRecord, scope: VisitScope, at: number): void {
  const link = visit.identities.find((l) => l.identityId === identity.identityId);
  if (link) {
    link.scope = scope;
    link.since = at;
  } else {
    // The link and the identity's visit list are made together: no link, not listed yet
    // (searching visitIds made each event cost more the more visits one test user had).
    visit.identities.push({ identityId: identity.identityId, scope, since: at });
    identity.visitIds.push(visit.visitId);
  }
  identity.visitScope = scope;
  identity.since = at;
}

function demoteSessionIdentity(state: LabState, visit: VisitRecord, at: number, reason: 'SignOut' | 'SignIn'): void {
  const session = closeSession(state, visit, at, reason);
  if (!session) return;
  const previous = own(state.identities, session.identityId);
  if (previous) associate(visit, previous, 'Recognized', at);
}

export function signIn(state: LabState, visit: VisitRecord, ev: GtEvent): void {
  const identityId = identityIdFor(state, ev);
  // A SignIn while signed in (same person or another) ends the open session first:
  // every SignIn opens a new session with a new sessionID.
  const at = eventTime(ev);
  demoteSessionIdentity(state, visit, at, 'SignIn');
  const identity = ensureIdentity(state, ev, identityId);
  openSession(state, visit, identityId, ev);
  associate(visit, identity, 'Authenticated', at);
  // Out of order: this session's SignOut already came (later browser time, earlier arrival).
  const orphan = visit.orphanSignOutAt ?? null;
  visit.orphanSignOutAt = null;
  if (orphan !== null && orphan >= at) demoteSessionIdentity(state, visit, orphan, 'SignOut');
}

/**
 * SignOut closes the open session. One with no session open is kept in mind in case its
 * SignIn is still on its way; one older than the open session (it belonged to an earlier
 * session and arrived late) changes nothing. The event is stored either way.
 */
export function signOut(state: LabState, visit: VisitRecord, ev: GtEvent): void {
  const at = eventTime(ev);
  if (visit.activeSessionId === null) {
    visit.orphanSignOutAt = Math.max(visit.orphanSignOutAt ?? at, at);
    return;
  }
  if (state.sessions[visit.activeSessionId].startDate > at) return;
  demoteSessionIdentity(state, visit, at, 'SignOut');
}

export function userInfo(state: LabState, visit: VisitRecord, ev: GtEvent): void {
  const identity = ensureIdentity(state, ev, identityIdFor(state, ev));
  const at = eventTime(ev);
  associate(visit, identity, 'Recognized', at);
  if (visit.userInfoAt === null) visit.userInfoAt = at;
}

/**
 * What applying this event can read beyond its visit, for a store that loads only what an event
 * touches: the identities it may name (canonical and as sent), the contact keys it may match,
 * and the session ids it may take. Null for an event that identifies no one.
 */
export function identifyingReach(ev: GtEvent): { identityIds: string[]; contactKeys: ContactKeys; sessionIds: string[] } | null {
  if (ev.eventType !== 'SYSTEM' || (ev.eventName !== 'SignIn' && ev.eventName !== 'UserInfo')) return null;
  const id = identityIdOf(ev);
  if (id === null) return null;
  const asSent = namedIdentifier(ev.eventName, ev.data);
  const data = ev.data ?? {};
  const contactKeys = { userId: identifier(data.userId), email: identifier(data.email), phone: identifier(data.phone) };
  const sessionIds = ev.eventName === 'SignIn' ? [...(ev.sessionID ? [ev.sessionID] : []), ...[1, 2, 3].map((n) => sessionCandidate(ev.eventID, n))] : [];
  return { identityIds: asSent !== undefined && asSent !== id ? [id, asSent] : [id], contactKeys, sessionIds };
}
