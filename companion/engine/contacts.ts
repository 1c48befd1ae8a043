// The contact directory (GWE's Contact Server, reduced to what identification needs):
// SignIn matches a contact by userId, email or phone, else creates one.
import type { Contact } from '../../protocol';
import { counted } from './counts';
import { own, type LabState } from './state';

export interface ContactKeys {
  userId?: string;
  email?: string;
  phone?: string;
}

function norm(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t.toLowerCase() : undefined;
}

/** Phone numbers compare on their digits (and a leading +), so "+1 555-0100" matches "+15550100". */
function normPhone(v: string | undefined): string | undefined {
  const t = v?.replace(/[^\d+]/g, '');
  return t ? t : undefined;
}

type Field = keyof ContactKeys;
const FIELDS: Field[] = ['userId', 'email', 'phone'];
const NORMALISE: Record<Field, (v: string | undefined) => string | undefined> = {
  userId: (v) => v?.trim() || undefined,
  email: norm,
  phone: normPhone,
};

/**
 * Contacts by normalised userId, email and phone. Derived from state.contacts (never stored),
 * built on first use and kept up to date by upsertContact: a lookup scanning every contact
 * made each new identity cost more the more identities there were (9 s a batch at 31,000).
 */
type ContactIndex = Record<Field, Map<string, Set<string>>> & {
  /** contactIds in the order they were first stored (append-only, for paging the directory). */
  order: string[];
};
const indexes = new WeakMap<LabState, ContactIndex>();

/** The contact's key for `field` as lookups compare it (a store indexes contacts by it). */
export function contactKeyOf(contact: Contact, field: Field): string | undefined {
  const v = contact[field];
  return NORMALISE[field](typeof v === 'string' ? v : undefined);
}

/** The keys `keys` name, normalised as contacts are compared. */
export function normalisedKeys(keys: ContactKeys): Record<Field, string | undefined> {
  return { userId: NORMALISE.userId(keys.userId), email: NORMALISE.email(keys.email), phone: NORMALISE.phone(keys.phone) };
}

function indexOf(state: LabState): ContactIndex {
  let index = indexes.get(state);
  if (!index) {
    index = { userId: new Map(), email: new Map(), phone: new Map(), order: Object.keys(state.contacts) };
    for (const contact of Object.values(state.contacts)) add(index, contact);
    indexes.set(state, index);
  }
  return index;
}

function add(index: ContactIndex, contact: Contact): void {
  for (const field of FIELDS) {
    const key = contactKeyOf(contact, field);
    if (key === undefined) continue;
    let ids = index[field].get(key);
    if (!ids) index[field].set(key, (ids = new Set()));
    ids.add(contact.contactId);
  }
}

function remove(index: ContactIndex, contact: Contact): void {
  for (const field of FIELDS) {
    const key = contactKeyOf(contact, field);
    const ids = key === undefined ? undefined : index[field].get(key);
    ids?.delete(contact.contactId);
    if (ids?.size === 0) index[field].delete(key!);
  }
}

/** Builds the index now (at start-up), rather than in the first request that needs it. */
export function buildContactIndex(state: LabState): void {
  indexOf(state);
}

/** Forgets the derived index (the state was emptied in place). */
export function dropContactIndex(state: LabState): void {
  indexes.delete(state);
}

/**
 * The contact these keys name: userId first (the strongest identifier), then email, then
 * phone. When several contacts share the key, the smallest contactId wins, so the answer
 * never depends on the order contacts were stored or reloaded in.
 */
export function findContact(state: LabState, keys: ContactKeys): Contact | undefined {
  const index = indexOf(state);
  for (const field of FIELDS) {
    const key = NORMALISE[field](keys[field]);
    const ids = key === undefined ? undefined : index[field].get(key);
    if (!ids || ids.size === 0) continue;
    const id = ids.size === 1 ? ids.values().next().value! : [...ids].sort()[0];
    return state.contacts[id];
  }
  return undefined;
}

export function upsertContact(state: LabState, contact: Contact): Contact {
  const index = indexOf(state);
  const existing = own(state.contacts, contact.contactId);
  if (existing) remove(index, existing);
  const merged = existing ? { ...existing, ...contact } : contact;
  state.contacts[contact.contactId] = merged;
  if (!existing) {
    counted(state, 'contacts');
    index.order.push(contact.contactId);
  }
  add(index, merged);
  return merged;
}

/** The contactIds in the order they were stored: an append-only list to page through. */
export function contactOrder(state: LabState): readonly string[] {
  return indexOf(state).order;
}

/** A deterministic id for a contact created by identification (replay gives the same id). */
export function newContactId(state: LabState, identityId: string): string {
  let n = 1;
  while (own(state.contacts, contactCandidate(identityId, n))) n++;
  return contactCandidate(identityId, n);
}

/** The nth id newContactId tries for an identity's contact. */
export const contactCandidate = (identityId: string, n: number): string => (n === 1 ? `contact-${identityId}` : `contact-${identityId}-${n}`);
