// The answer of POST /server/events: one result per event, in the order they were sent.
import type { Problem } from './problems';

export type IntakeStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IntakeResult {
  index: number;
  /** The event's eventID when it had a readable one. */
  eventID: string | null;
  status: IntakeStatus;
  /** For `rejected`: the dotted path of the bad field. */
  field?: string;
  reason?: string;
  /**
   * What GWE would store but the companion does not take as sent (a timestamp far ahead of
   * its clock): the event is stored all the same. Absent when there is nothing to say.
   */
  warnings?: Problem[];
  /**
   * The event's categories as stored (semicolon-separated): its own and those whose tags the
   * companion found in its URL or page title. Absent when it has none.
   */
  category?: string;
}

export interface IntakeResponse {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: IntakeResult[];
}

/** Most events one intake request may carry; larger batches get 413. */
export const MAX_EVENTS_PER_REQUEST = 1000;
