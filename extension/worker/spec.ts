// The spec the popup ticks off (issue 11, "Expectations"): kept by the worker in storage.local so
// the popup shows it each time it opens, and checked against a tab's visit as its capture log
// tells it. The CheckInput builder is pure (unit-tested from capture records); the check itself
// is protocol/expectations' checkSpec, the one the companion and the CLI run.
import { identityTransitionOf, namedIdentifier } from '../../protocol/event-names';
import type { VisitScope } from '../../protocol/events';
import { checkSpec, parseSpecText, type CaptureProblem, type CheckedIdentity, type CheckedVisit, type CheckInput, type CheckReport, type Spec, type SpecProblem } from '../../protocol/expectations';
import { canonicalIdentityId } from '../../protocol/identifiers';
import type { IdentityResource } from '../../protocol/resources';
import { isRejected, trackStates } from '../../ui/timeline/states';
import type { CaptureRecord } from '../shared/capture';
import type { Delivery } from '../shared/messages';
import { storyFromCapture } from '../shared/story';
import type { Area } from './persisted';

export const SPEC_KEY = 'visitorLabSpec';
/** A spec's text at most: storage.local is shared with the outbox. */
export const MAX_SPEC_CHARS = 256 * 1024;

/** The loaded spec as stored: its text as the tester gave it (shown back), and when. */
export interface StoredSpec {
  text: string;
  loadedAt: number;
}

export type SpecLoad = { ok: true; spec: Spec } | { ok: false; problem: SpecProblem };

/** The text as JSON, then parseSpec: a problem names its place (`visits[0].steps[2].re`) or `spec` for the text itself. */
export function specFromText(text: unknown): SpecLoad {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, problem: { place: 'spec', reason: 'is empty: paste or load a spec (JSON, see docs/expectations.md)' } };
  if (text.length > MAX_SPEC_CHARS) return { ok: false, problem: { place: 'spec', reason: `is ${text.length} characters, more than ${MAX_SPEC_CHARS}` } };
  const parsed = parseSpecText(text);
  return parsed.ok ? parsed : { ok: false, problem: { place: parsed.problem.place || 'spec', reason: parsed.problem.reason } };
}

export async function loadStoredSpec(area: Area): Promise<StoredSpec | null> {
  const got = (await area.get(SPEC_KEY))[SPEC_KEY] as StoredSpec | undefined;
  return got && typeof got.text === 'string' ? got : null;
}

/** Stores the text if it is a spec; nothing is written otherwise. */
export async function storeSpec(area: Area, text: unknown, now = Date.now()): Promise<SpecLoad> {
  const loaded = specFromText(text);
  if (loaded.ok) await area.set({ [SPEC_KEY]: { text: text as string, loadedAt: now } satisfies StoredSpec });
  return loaded;
}

/**
 * One visit of a tab's log as a check sees it: its events in the timeline's order (rejected ones
 * left out: they reached no one; a duplicate is the same event again), each with the visitor
 * state after it as the timeline's band derives it (ui/timeline/states.ts), and what went wrong
 * on the way (rejected commands and events, undelivered and duplicate events).
 */
export function visitFromCapture(records: readonly CaptureRecord[], deliveries: Readonly<Record<string, Delivery>>, visitID: string): { visit: CheckedVisit; captures: CaptureProblem[] } {
  const story = storyFromCapture(records, deliveries, { tabId: 0, visitID });
  const visit: CheckedVisit = { visitId: visitID, events: [] };
  const captures: CaptureProblem[] = [];
  if (!story) return { visit, captures };
  const start = story.moments[0].at;
  const end = story.moments[story.moments.length - 1].at;
  const { after } = trackStates(story, story.moments, start, end);
  for (const m of story.moments) {
    const e = m.event;
    if (!e) {
      if (m.command?.outcome === 'rejected') captures.push({ kind: 'rejected', visitId: visitID, ...(m.command.reason ? { reason: m.command.reason } : {}) });
      continue;
    }
    const problem = { eventName: e.eventName, eventID: e.eventID, visitId: visitID };
    if (isRejected(m)) {
      captures.push({ kind: 'rejected', ...problem, ...(m.delivery?.reason ? { reason: m.delivery.reason } : {}) });
      continue;
    }
    const state = m.delivery?.state;
    if (state === 'duplicate') {
      captures.push({ kind: 'duplicate', ...problem });
      continue;
    }
    if (state !== 'accepted') captures.push({ kind: 'undelivered', ...problem, reason: m.delivery?.reason ?? state ?? 'queued' });
    // Not stored yet: the companion's fields are the browser's (its time, its page id).
    const visitorState = after.get(m.key);
    visit.events.push({ ...e, serverTimestamp: e.timestamp, browserPageID: e.pageID ?? null, ...(visitorState ? { visitorState } : {}) });
  }
  return { visit, captures };
}

/**
 * The identities of the visit as its own SignIn and UserInfo events name them (canonical ids,
 * as the companion keys them), each with the scope of its latest transition, as the companion
 * gives it: Authenticated after a SignIn, Recognized after a UserInfo.
 */
export function identitiesFromEvents(visit: CheckedVisit): CheckedIdentity[] {
  const scopes = new Map<string, VisitScope>();
  for (const e of visit.events) {
    const transition = identityTransitionOf(e);
    if (transition !== 'SignIn' && transition !== 'UserInfo') continue;
    const named = namedIdentifier(e.eventName, e.data);
    if (!named) continue;
    const id = canonicalIdentityId(named);
    scopes.set(id, transition === 'SignIn' ? 'Authenticated' : 'Recognized');
  }
  return [...scopes].map(([identityId, visitScope]) => ({ identityId, visitScope, visitIds: [visit.visitId] }));
}

/** The companion's identities of the visit (History API): it knows best, when it answers. */
export function identitiesFromCompanion(visitID: string, identities: IdentityResource[]): CheckedIdentity[] {
  return identities.map((i) => ({ identityId: i.identityId, visitScope: i.visitScope, visitIds: [visitID] }));
}

/** The CheckInput of a tab's visit: its events, identities and every kind of capture problem (the log knows them all). */
export function checkInputFromCapture(records: readonly CaptureRecord[], deliveries: Readonly<Record<string, Delivery>>, visitID: string, companionIdentities?: IdentityResource[]): CheckInput {
  const { visit, captures } = visitFromCapture(records, deliveries, visitID);
  const identities = companionIdentities ? identitiesFromCompanion(visitID, companionIdentities) : identitiesFromEvents(visit);
  return { visits: visit.events.length ? [visit] : [], identities, captures };
}

/** What the popup shows: the loaded spec and its report against the tab's visit. */
export interface TabCheck {
  stored: StoredSpec | null;
  spec: Spec | null;
  /** Null without a spec, or before the tab has a visit. */
  report: CheckReport | null;
  /** Where the identities came from. */
  identitiesFrom?: 'companion' | 'events';
}

export function tabCheck(stored: StoredSpec | null, records: readonly CaptureRecord[], deliveries: Readonly<Record<string, Delivery>>, visitID: string | null, companionIdentities?: IdentityResource[]): TabCheck {
  const loaded = stored ? specFromText(stored.text) : null;
  if (!stored || !loaded?.ok) return { stored, spec: null, report: null };
  const input: CheckInput = visitID ? checkInputFromCapture(records, deliveries, visitID, companionIdentities) : { visits: [], identities: [], captures: [] };
  return {
    stored,
    spec: loaded.spec,
    report: checkSpec(loaded.spec, input, visitID ? { visitId: visitID } : {}),
    identitiesFrom: companionIdentities ? 'companion' : 'events',
  };
}
