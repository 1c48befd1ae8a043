// The identifier rules of contract section 1 ("Identifier fields"), with no dependency but the
// event names' table: the companion checks events with them, and the tracker checks commands
// with the same rules (it cannot carry the schema library).
import { IDENTIFIERS, type Identifier } from './event-names';

export function nonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.trim().length > 0;
}

/** An @ with something on each side: an email address, whichever field carries it. */
const EMAIL_LIKE = /.@./s;

/**
 * The identityId an identifier names. Unicode NFKC first, so that full-width, compatibility and
 * decomposed forms of the same text (what an IME or a copy-paste gives) name one identity;
 * then trimmed. An email address also compares without case, as mail systems and the contact
 * directory do: `PAT@shop.test` and `pat@shop.test` are one person, whether the site sends it
 * as `email` or as `userId` (sites often use the email as userId, and UserInfo must carry the
 * userId the SignIn named). Any other userId keeps its case: it is the site's own key, and
 * `U1` and `u1` may be two accounts.
 */
export function canonicalIdentityId(identifier: string): string {
  const id = identifier.normalize('NFKC').trim();
  // Lower case can undo NFKC (rarely): normalised again so that the result is a fixed point.
  return EMAIL_LIKE.test(id) ? id.toLowerCase().normalize('NFKC') : id;
}

/**
 * The data fields an identifying event lacks, one of which it needs (SignIn: userId or email;
 * UserInfo: userId), or null when it has what it needs.
 */
export function missingIdentifier(eventName: string, data: Record<string, unknown>): Identifier[] | null {
  // Which fields name a person is the event names' table's (SignIn: userId or email).
  const fields = IDENTIFIERS[eventName];
  return fields && !fields.some((f) => nonEmptyString(data[f])) ? fields.slice() : null;
}
