// Expectations (issue 11): what a spec says visits must show, what a check is run against, and
// the report it answers. Shared by the companion (POST /lab/check), the `visitor-lab check`
// command, the helper library `visitor-lab/testing`, the popup and the web app; pure types.
import type { StoredEvent, VisitorState, VisitScope } from '../events';

/** A value a step field must have: exactly this, or (`{ re }`) matching this regular expression. */
export type ValueMatcher = string | number | boolean | null | { re: string };

/**
 * One step of a visit expectation. Exactly one of three kinds:
 * - an event step: `event` is the eventName; other event fields match exactly, except `url`
 *   and `title`, which match a part; `data` matches the listed keys only (nested objects the same);
 * - a state step `{ state }`: the visitor state right after the previous matched event step;
 * - a count step `{ count, event }`: how many events of that name the visit has.
 */
export type Step = EventStep | StateStep | CountStep;

export interface EventStep {
  event: string | { re: string };
  url?: ValueMatcher;
  title?: ValueMatcher;
  data?: Record<string, unknown>;
  /** Any other field of the stored event (eventType, pageID, category, ...), matched exactly. */
  [field: string]: unknown;
}

export interface StateStep {
  state: VisitorState;
}

export interface CountStep {
  count: number;
  event: string | { re: string };
}

export interface VisitExpectation {
  /** Said in the report; default "visit N" (1-based, in the spec's order). */
  name?: string;
  steps: Step[];
}

export interface IdentityExpectation {
  identityId: string;
  /** The identity's scope now (GWE's visitScope). */
  visitScope?: VisitScope;
  /** How many visits (in the checked scope) the identity was in. */
  visits?: number;
}

export interface Spec {
  name?: string;
  /** Each expectation must be met by a different visit. */
  visits?: VisitExpectation[];
  identities?: IdentityExpectation[];
  /** No command or event rejected (by the tracker or the companion). */
  noRejected?: boolean;
  /** No captured event left undelivered (known where the capture log is: the extension). */
  noUndelivered?: boolean;
  /** No event sent twice (answered `duplicate`). */
  noDuplicates?: boolean;
}

/** Where in a spec a problem is: a JSON path such as `visits[0].steps[3].url.re`. */
export interface SpecProblem {
  place: string;
  reason: string;
}

/** One visit as a check sees it: its events in applied order, each with its visitorState after it. */
export interface CheckedVisit {
  visitId: string;
  startDate?: number;
  events: Array<StoredEvent | (Omit<StoredEvent, 'visitorState'> & { visitorState?: VisitorState })>;
}

export interface CheckedIdentity {
  identityId: string;
  visitScope: VisitScope;
  /** Visit ids (in the checked scope) the identity was in. */
  visitIds: string[];
}

/** A command or event that went wrong on its way (the capture reconciliation, or intake). */
export interface CaptureProblem {
  kind: 'rejected' | 'undelivered' | 'duplicate';
  eventName?: string;
  eventID?: string;
  visitId?: string;
  /** Why (the rejection's reason), when known. */
  reason?: string;
}

/** What a spec is checked against. `captures` is absent when nobody knows (then the no* flags say so). */
export interface CheckInput {
  visits: CheckedVisit[];
  identities: CheckedIdentity[];
  captures?: CaptureProblem[];
  /**
   * The kinds `captures` knows of, when not all: the companion knows a run's rejections and
   * duplicates but not what the extension failed to deliver. Absent: every kind.
   */
  capturesCover?: Array<CaptureProblem['kind']>;
}

export interface StepFailure {
  /** `visits[0].steps[3]` */
  place: string;
  /** The step as written in the spec, for the report. */
  step: Step;
  /** Written for a person: what was expected and why nothing matched. */
  message: string;
  /** The visit the expectation came closest to (most steps met), and how many steps it met. */
  closestVisitId?: string;
  stepsMet: number;
  /** Around the first unmet step in that visit: the last matched event and the events after it (a few). */
  found: Array<{ eventName: string; url?: string; visitorState?: VisitorState; data?: unknown }>;
}

export interface ExpectationResult {
  /** `visits[0]`, `identities[1]`, `noRejected` ... */
  place: string;
  name: string;
  passed: boolean;
  /** The visit that met it (visit expectations). */
  visitId?: string;
  /** Steps met so far (visit expectations): the popup ticks them off. */
  stepsMet?: number;
  failure?: StepFailure | { message: string };
}

export interface CheckReport {
  spec: string;
  passed: boolean;
  /** What was checked: `run R`, `visit V` or `everything`, and how many visits. */
  scope: { run?: string; visitId?: string; visits: number };
  results: ExpectationResult[];
  /** Counts, for one-line summaries. */
  summary: { passed: number; failed: number };
}
