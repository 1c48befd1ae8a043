// The answer of POST /server/events: one result per event, in the order they were sent.
export type IntakeStatus = 'accepted' | 'duplicate' | 'rejected';

export interface IntakeResult {
  index: number;
  /** The event's eventID when it had a readable one. */
  eventID: string | null;
  status: IntakeStatus;
  /** For `rejected`: the dotted path of the bad field. */
  field?: string;
  reason?: string;
}

export interface IntakeResponse {
  accepted: number;
  duplicate: number;
  rejected: number;
  results: IntakeResult[];
}

/** Most events one intake request may carry; larger batches get 413. */
export const MAX_EVENTS_PER_REQUEST = 1000;
