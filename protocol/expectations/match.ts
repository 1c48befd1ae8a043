// Whether one stored event meets one event step, and if not, which field differs (a near miss,
// named in the report with both values). Pure.
import type { CheckedVisit, EventStep, ValueMatcher } from './types';

export type CheckedEvent = CheckedVisit['events'][number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isRe = (v: unknown): v is { re: string } => isObject(v) && typeof v.re === 'string' && Object.keys(v).length === 1;

// Specs are parsed once and checked against many events: each expression compiled once.
const compiled = new Map<string, RegExp>();
function regexOf(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    if (compiled.size > 1000) compiled.clear();
    re = new RegExp(source); // no `g` flag: test() keeps no state between calls
    compiled.set(source, re);
  }
  return re;
}

/** Exactly, or as a regular expression; `part` makes a plain string match a substring (url, title). */
export function valueMatches(expected: unknown, actual: unknown, part = false): boolean {
  if (isRe(expected)) return typeof actual === 'string' && regexOf(expected.re).test(actual);
  if (part && typeof expected === 'string') return typeof actual === 'string' && actual.includes(expected);
  return actual === expected;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/** A field that does not match: its place in the event (`data.email`), what the step wants and what the event has. */
export interface FieldMismatch {
  field: string;
  expected: unknown;
  actual: unknown;
}

/** `data`: the listed keys only, nested objects the same way; arrays exactly; `{re}` for strings. */
function dataMismatch(expected: Record<string, unknown>, actual: unknown, place: string): FieldMismatch | null {
  if (!isObject(actual)) return { field: place, expected, actual };
  for (const [key, want] of Object.entries(expected)) {
    const at = `${place}.${key}`;
    const has = Object.prototype.hasOwnProperty.call(actual, key);
    const got = has ? actual[key] : undefined;
    if (isObject(want) && !isRe(want)) {
      const inner = dataMismatch(want, got, at);
      if (inner) return inner;
    } else if (Array.isArray(want)) {
      if (!deepEqual(want, got)) return { field: at, expected: want, actual: got };
    } else if (!has || !valueMatches(want, got)) {
      return { field: at, expected: want, actual: got };
    }
  }
  return null;
}

export const titleOf = (ev: CheckedEvent): unknown => (isObject(ev.data) ? ev.data.title : undefined);

// A step's fields, listed once: a check tries each step on up to hundreds of thousands of events.
const fieldsOfStep = new WeakMap<EventStep, Array<[string, unknown]>>();
function fieldsOf(step: EventStep): Array<[string, unknown]> {
  let fields = fieldsOfStep.get(step);
  if (!fields) fieldsOfStep.set(step, (fields = Object.entries(step).filter(([key]) => key !== 'event')));
  return fields;
}

/** The first field of `step` (besides the event name) that `ev` does not meet, or null. */
export function fieldMismatch(step: EventStep, ev: CheckedEvent): FieldMismatch | null {
  for (const [key, want] of fieldsOf(step)) {
    if (key === 'data') {
      const m = dataMismatch(want as Record<string, unknown>, ev.data, 'data');
      if (m) return m;
      continue;
    }
    const got = key === 'title' ? titleOf(ev) : (ev as unknown as Record<string, unknown>)[key];
    if (!valueMatches(want as ValueMatcher, got, key === 'url' || key === 'title')) return { field: key, expected: want, actual: got };
  }
  return null;
}

export const nameMatches = (event: EventStep['event'], ev: CheckedEvent): boolean => valueMatches(event, ev.eventName);

export const eventMatches = (step: EventStep, ev: CheckedEvent): boolean => nameMatches(step.event, ev) && fieldMismatch(step, ev) === null;
