// Shared helpers of the protocol unit tests: event builders and readers of a check's problem.
import { expect } from 'vitest';
import type { EventCheck } from '../../../protocol';

/** A valid SYSTEM VisitStarted event, with `extra` fields set over it. */
export function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventType: 'SYSTEM',
    eventName: 'VisitStarted',
    eventID: 'e-1',
    pageID: 'p-1',
    timestamp: 1_700_000_000_000,
    category: 'shop;home',
    url: 'http://shop.test/',
    languageCode: 'en',
    globalVisitID: 'g-1',
    visitID: 'v-1',
    ...extra,
  };
}

export function without(field: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const e = base(extra);
  delete e[field];
  return e;
}

export function problemOf(r: EventCheck) {
  expect(r.ok).toBe(false);
  return r.ok ? undefined : r.problem;
}

/** Builds an object from JSON text, so that `__proto__` is an own key as it is in a parsed body. */
export function fromJson(text: string): unknown {
  return JSON.parse(text);
}

/** data with `levels` nested objects, data itself being level 1. */
export function nested(levels: number): Record<string, unknown> {
  let inner: Record<string, unknown> = { leaf: 'x' };
  for (let i = 1; i < levels; i++) inner = { a: inner };
  return inner;
}
