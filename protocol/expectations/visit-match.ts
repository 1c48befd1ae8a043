// One visit expectation against one visit: how many of its steps the visit meets, in order, and
// when it stops short, a message saying why in the visit's own events. Pure.
import { eventPlace, eventsText, eventText, stepsMetText, stepText, valueText } from './describe';
import { eventMatches, fieldMismatch, nameMatches, valueMatches, type CheckedEvent } from './match';
import { stepKind } from './parse';
import type { VisitorState } from '../events';
import type { CheckedVisit, EventStep, Step, StepFailure } from './types';

export interface VisitMatch {
  visit: CheckedVisit;
  /** Steps met, in order, before the first unmet one (all of them when it passes). */
  met: number;
  passed: boolean;
  /** The index of the last event matched by an event step, -1 when none. */
  last: number;
}

/** The states that the state steps right after step `i` (before the next event step) ask of it. */
function statesAfter(steps: Step[], i: number): VisitorState[] {
  const states: VisitorState[] = [];
  for (let j = i + 1; j < steps.length && stepKind(steps[j]) !== 'event'; j++) {
    const s = steps[j];
    if ('state' in s) states.push(s.state as VisitorState);
  }
  return states;
}

/** The index of the first event at or after `from` that meets `test`, or -1. */
function findFrom(events: CheckedEvent[], from: number, test: (ev: CheckedEvent) => boolean): number {
  for (let j = from; j < events.length; j++) if (test(events[j])) return j;
  return -1;
}

// Events per name, counted once per visit: a spec's count steps (up to 100 x 200) would
// otherwise each walk the whole visit.
// Keyed by the events list and its length: a live check (the popup) appends to the same list.
const namesOf = new WeakMap<CheckedEvent[], { length: number; names: Map<string, number> }>();

function countOf(visit: CheckedVisit, name: EventStep['event']): number {
  const cached = namesOf.get(visit.events);
  let names = cached?.length === visit.events.length ? cached.names : undefined;
  if (!names) {
    names = new Map();
    for (const ev of visit.events) names.set(ev.eventName, (names.get(ev.eventName) ?? 0) + 1);
    namesOf.set(visit.events, { length: visit.events.length, names });
  }
  if (typeof name === 'string') return names.get(name) ?? 0;
  let n = 0;
  for (const [eventName, count] of names) if (valueMatches(name, eventName)) n += count;
  return n;
}

/**
 * The steps against the visit's events. An event step takes the first event after the last
 * matched one that it matches and that is in the state the state steps after it ask for (a
 * state step is the state right after the previous matched event step, so a later SignIn that
 * did authenticate is taken over an earlier one that did not); failing that, the first one it
 * matches at all, and the state step then says what the state was. A state step before any
 * event step is the state after the visit's first event. A count step counts the whole visit
 * and leaves the position where it was.
 */
export function matchVisit(steps: Step[], visit: CheckedVisit): VisitMatch {
  const events = visit.events;
  let pos = 0;
  let last = -1;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const kind = stepKind(step);
    let ok: boolean;
    if (kind === 'count') {
      const s = step as { count: number; event: EventStep['event'] };
      ok = countOf(visit, s.event) === s.count;
    } else if (kind === 'state') {
      const at = last === -1 ? events[0] : events[last];
      ok = at !== undefined && at.visitorState === (step as { state: VisitorState }).state;
    } else {
      const s = step as EventStep;
      const states = statesAfter(steps, i);
      let k = findFrom(events, pos, (ev) => eventMatches(s, ev) && states.every((st) => ev.visitorState === st));
      if (k === -1 && states.length > 0) k = findFrom(events, pos, (ev) => eventMatches(s, ev));
      ok = k !== -1;
      if (ok) [last, pos] = [k, k + 1];
    }
    if (!ok) return { visit, met: i, passed: false, last };
  }
  return { visit, met: steps.length, passed: true, last };
}

/** The last matched event and up to 5 after it (from the start when nothing matched). */
export function foundAround(m: VisitMatch): StepFailure['found'] {
  const from = Math.max(m.last, 0);
  return m.visit.events.slice(from, from + 6).map((ev) => ({
    eventName: ev.eventName,
    ...(ev.url !== undefined ? { url: ev.url } : {}),
    ...(ev.visitorState !== undefined ? { visitorState: ev.visitorState } : {}),
    ...(ev.data !== undefined ? { data: ev.data } : {}),
  }));
}

const nameText = (name: EventStep['event']) => (typeof name === 'string' ? name : `event matching ${valueText(name)}`);

/** Another visit holding an event that meets the step: the events went to a visit of their own. */
function elsewhere(step: EventStep, m: VisitMatch, visits: CheckedVisit[]): string | null {
  for (const v of visits) {
    if (v === m.visit) continue;
    const k = findFrom(v.events, 0, (ev) => eventMatches(step, ev));
    if (k !== -1) return `visit ${v.visitId} has one (${eventPlace(v.events[k], k)}): all the steps of an expectation must be met in one visit`;
  }
  return null;
}

/** Why an event step found nothing after the last match: what came instead, and the near misses. */
function eventStepWhy(step: EventStep, m: VisitMatch, visits: CheckedVisit[]): string {
  const events = m.visit.events;
  const from = m.last + 1;
  const parts: string[] = [];
  const lead = m.last === -1 ? 'its events were' : `after its ${eventText(events[m.last])} came`;
  parts.push(from >= events.length ? (m.last === -1 ? 'it has no events' : `nothing came after its ${eventText(events[m.last])}`) : `${lead} ${eventsText(events, from)}`);
  // Events of the right name after the position: each differs in some field (else it matched).
  let sameName = 0;
  for (let j = from; j < events.length; j++) {
    if (!nameMatches(step.event, events[j])) continue;
    if (++sameName > 3) continue;
    const diff = fieldMismatch(step, events[j]);
    if (diff) parts.push(`a ${events[j].eventName} with ${diff.field} ${valueText(diff.actual)} (not ${valueText(diff.expected)}) came at ${eventPlace(events[j], j)}`);
  }
  if (sameName > 3) parts.push(`and ${sameName - 3} more ${nameText(step.event)} events that differ`);
  if (sameName === 0) {
    parts.push(`no ${nameText(step.event)}`);
    const before = findFrom(events.slice(0, from), 0, (ev) => eventMatches(step, ev));
    if (before !== -1) parts.push(`one came earlier (${eventPlace(events[before], before)}), before the steps ahead of it were met: steps match in order`);
    const other = before === -1 ? elsewhere(step, m, visits) : null;
    if (other) parts.push(other);
  }
  return parts.join('; ');
}

/** The failure of the expectation's first unmet step in its closest visit, for a person to act on. */
export function failureOf(steps: Step[], place: string, m: VisitMatch | undefined, others: string, visits: CheckedVisit[] = []): StepFailure {
  if (!m) {
    const step = steps[0];
    return { place: `${place}.steps[0]`, step, message: `step 1 ${stepText(step)}: there is no visit in scope${others}`, stepsMet: 0, found: [] };
  }
  const i = m.met;
  const step = steps[i];
  const events = m.visit.events;
  const head = `step ${i + 1} ${stepText(step)}: the closest visit ${m.visit.visitId} met ${stepsMetText(i)}`;
  let why: string;
  if ('state' in step) {
    const at = m.last === -1 ? events[0] : events[m.last];
    const state = at?.visitorState ?? 'unknown';
    why = at === undefined ? 'it has no events' : m.last === -1 ? `after its first event, ${eventText(at)}, the state was ${state}, not ${step.state}` : `after its ${at.eventName} (${eventPlace(at, m.last)}) the state was ${state}, not ${step.state}`;
  } else if ('count' in step) {
    why = `it has ${countOf(m.visit, step.event)} ${nameText(step.event)} events, not ${step.count}`;
  } else {
    why = eventStepWhy(step as EventStep, m, visits);
  }
  return { place: `${place}.steps[${i}]`, step, message: `${head}; ${why}${others}`, closestVisitId: m.visit.visitId, stepsMet: i, found: foundAround(m) };
}
