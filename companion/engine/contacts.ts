// The contact directory (GWE's Contact Server, reduced to what identification needs):
// SignIn matches a contact by userId, email or phone, else creates one.
import type { Contact } from '../../protocol';
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

export function findContact(state: LabState, keys: ContactKeys): Contact | undefined {
  const userId = keys.userId?.trim();
  const email = norm(keys.email);
  const phone = normPhone(keys.phone);
  // userId first: it is the strongest identifier; then email; then phone.
  const all = Object.values(state.contacts);
  return (
    (userId ? all.find((c) => c.userId === userId) : undefined) ??
    (email ? all.find((c) => norm(c.email) === email) : undefined) ??
    (phone ? all.find((c) => normPhone(c.phone) === phone) : undefined)
  );
}

export function upsertContact(state: LabState, contact: Contact): Contact {
  const existing = own(state.contacts, contact.contactId);
  const merged = existing ? { ...existing, ...contact } : contact;
  state.contacts[contact.contactId] = merged;
  return merged;
}

/** A deterministic id for a contact created by identification (replay gives the same id). */
export function newContactId(state: LabState, identityId: string): string {
  let candidate = `contact-${identityId}`;
  for (let n = 2; own(state.contacts, candidate); n++) candidate = `contact-${identityId}-${n}`;
  return candidate;
}
