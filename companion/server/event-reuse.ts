// An eventID names one event. Sent again (a retry whose first answer was lost), it is a
// duplicate; sent with another event under it (a copied test fixture, a tracker that reuses
// ids), it is refused rather than answered `duplicate` and dropped unseen.
//
// "The same event" is the same happening: visit, type, name, page and data. How it was stamped
// (timestamp, url, sessionID, languageCode, category) may differ in a resend: the extension
// builds a closed tab's PageExited again, under the tracker's own eventID, with the time of
// closing and the session it last knew, so that whichever of the two arrives second is the
// duplicate.
import type { GtEvent } from '../../protocol';

/** The fields that make an event what it is, in the order a difference is reported (the visit first). */
const FIELDS = ['visitID', 'globalVisitID', 'eventType', 'eventName', 'pageID', 'data'] as const;

function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const rb = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && same((a as Record<string, unknown>)[k], rb[k]));
}

/** The first field in which `sent` differs from the stored event, or null for a resend. */
export function differingField(sent: GtEvent, kept: GtEvent): (typeof FIELDS)[number] | null {
  // A stored event went through JSON: an optional field it lacks reads as undefined, as here.
  return FIELDS.find((f) => !same(sent[f], kept[f])) ?? null;
}

/** Why a reused eventID is refused: which event has it, and what to do. */
export function reuseReason(field: (typeof FIELDS)[number], kept: GtEvent): string {
  const where = field === 'visitID' ? `an event of another visit (${kept.visitID})` : `another event of this visit (its ${field} differs)`;
  return `is already used by ${where}: each event needs its own eventID (a resend of the same event is a duplicate)`;
}
