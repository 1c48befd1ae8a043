// visitor-lab/testing: what a test suite needs to check how its site identifies visitors with
// Visitor Lab (docs/testing.md): a companion of its own, the extension set to send to it, the
// History API typed, waiting helpers and matchers.
export { startCompanion, runHandle, type Companion, type Run, type StartOptions, type CheckOptions } from './companion';
export { extensionDir, PRESET_FILE, type ExtensionDirOptions } from './extension-dir';
export { historyClient, type HistoryClient, type Query } from './history';
export { CompanionError, type Http } from './http';
export { findChromium, requireChromium, CHROMIUM_ENV, CHROMIUM_PLACES, NO_CHROMIUM, type FindChromiumOptions } from './chromium';
export { waitForEvents, waitForVisitorState, poll, WaitTimeoutError, DEFAULT_TIMEOUT, type WaitOptions, type EventsWanted } from './wait';
export { readVisits, type Target, type SeenVisit } from './target';
export {
  visitorLabMatchers,
  toHaveVisitorState,
  toHaveEvents,
  toSatisfySpec,
  type VisitorLabMatchers,
  type MatcherContext,
  type MatcherResult,
  type MatcherOptions,
  type EventExpectation,
} from './matchers';
export type { Spec, Step, EventStep, StateStep, CountStep, CheckReport, ExpectationResult, VisitExpectation, IdentityExpectation } from '../protocol/expectations/types';
export type { StoredEvent, VisitorState, VisitScope } from '../protocol/events';
export type { VisitResource, PageResource, IdentityResource } from '../protocol/resources';
export type { RunResource, RunSummary } from '../protocol/runs';
