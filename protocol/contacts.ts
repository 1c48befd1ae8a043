// Contacts given to the companion (seed file, POST /lab/contacts).
import { z } from 'zod';
import { wellFormed } from './events';
import { IdSchema } from './ids';
import { problemOf, type Problem } from './problems';
import type { Contact } from './resources';

const field = z.string().trim().min(1).max(256);
// The contactId defaults from these (`contact-<userId>`), so they follow the ids' unicode rule.
const identifier = field.refine(wellFormed, 'must not hold a lone surrogate');

export const ContactInputSchema = z
  .object({
    contactId: IdSchema.optional(),
    userId: identifier.optional(),
    email: identifier.optional(),
    phone: identifier.optional(),
    firstName: field.optional(),
    lastName: field.optional(),
  })
  .strict()
  .refine((c) => c.userId || c.email || c.phone, { message: 'a contact needs userId, email or phone', path: ['userId'] });

/** One contact object or an array of them; ids default from the identifiers. */
export function parseContacts(input: unknown): { ok: true; contacts: Contact[] } | { ok: false; problem: Problem } {
  const list = Array.isArray(input) ? input : [input];
  const contacts: Contact[] = [];
  for (let i = 0; i < list.length; i++) {
    const parsed = ContactInputSchema.safeParse(list[i]);
    if (!parsed.success) return { ok: false, problem: problemOf(parsed.error, Array.isArray(input) ? `[${i}]` : '') };
    const c = parsed.data;
    contacts.push({ ...c, contactId: c.contactId ?? `contact-${c.userId ?? c.email ?? c.phone}`, origin: 'seed' });
  }
  return { ok: true, contacts };
}
