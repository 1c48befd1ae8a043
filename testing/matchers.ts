// Matchers for Vitest, Jest and Playwright Test: one implementation, given to expect.extend.
// They retry until their timeout like Playwright's web-first assertions (events arrive a moment
// after the page ran), so they are async: `await expect(companion).toHaveEvents([...])`.
import type { VisitorState } from '../protocol/events';
import { checkSpec } from '../protocol/expectations/check';
import { parseSpec } from '../protocol/expectations/parse';
import { formatText } from '../protocol/expectations/report-text';
import type { CheckReport, EventStep, Spec, Step } from '../protocol/expectations/types';
import type { CheckOptions } from './companion';
import { CompanionError } from './http';
import { companionOf, hints, readVisits, targetText, type Target } from './target';
import { DEFAULT_TIMEOUT, POLL_INTERVAL, visitsText } from './wait';

/** What expect.extend gives `this` (Vitest, Jest and Playwright alike); every part optional. */
export interface MatcherContext {
  isNot?: boolean;
  // Method syntax: Vitest's, Jest's and Playwright's own (narrower) signatures are accepted.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  utils?: { diff?(a: unknown, b: unknown, options?: any): string | null | undefined };
}

export interface MatcherResult {
  pass: boolean;
  message: () => string;
}

export interface MatcherOptions {
  /** Milliseconds to keep retrying (default 5,000; 0 looks once). */
  timeout?: number;
}

/** An event step, or just its eventName. */
export type EventExpectation = string | EventStep | Step;

interface Attempt {
  pass: boolean;
  message: () => string;
}

/** Retries `attempt` until its pass is what the assertion wants (`pass`, or not with .not) or time is up. */
async function retry(ctx: MatcherContext, options: MatcherOptions | undefined, attempt: () => Promise<Attempt>): Promise<MatcherResult> {
  const deadline = Date.now() + (options?.timeout ?? DEFAULT_TIMEOUT);
  for (;;) {
    let result: Attempt;
    try {
      result = await attempt();
    } catch (e) {
      // A spec or request the companion calls wrong (400) will not get right by waiting.
      if (e instanceof CompanionError && e.status === 400) throw e;
      const message = (e as Error).message;
      result = { pass: false, message: () => `could not read the companion: ${message}` };
    }
    if (result.pass !== Boolean(ctx.isNot) || Date.now() >= deadline) return result;
    await new Promise((r) => setTimeout(r, POLL_INTERVAL));
  }
}

function assertTarget(received: unknown, matcher: string): asserts received is Target {
  const ok = received && typeof received === 'object' && ('url' in received || 'companion' in received);
  if (!ok) throw new TypeError(`${matcher}: expect() takes a companion (startCompanion()), a Run (companion.run()) or {companion, visitId}`);
}

export async function toHaveVisitorState(this: MatcherContext, received: unknown, state: VisitorState, options?: MatcherOptions): Promise<MatcherResult> {
  assertTarget(received, 'toHaveVisitorState');
  const ctx = this ?? {};
  return retry(ctx, options, async () => {
    const visits = await readVisits(received);
    const newest = visits[0];
    const pass = newest?.visitorState === state;
    return {
      pass,
      message: () =>
        [
          `expect(${targetText(received)}).${ctx.isNot ? 'not.' : ''}toHaveVisitorState(${JSON.stringify(state)})`,
          '',
          `Expected: ${ctx.isNot ? 'not ' : ''}${state}`,
          `Received: ${newest ? `${newest.visitorState} (newest visit ${newest.visitId})` : 'no visit'}`,
          '',
          visitsText(visits),
          ...(newest || ctx.isNot ? [] : ['', hints(received)]),
        ].join('\n'),
    };
  });
}

const asStep = (e: EventExpectation): Step => (typeof e === 'string' ? { event: e } : e);

/** The events, in this order (others may come between), in one visit. */
export async function toHaveEvents(this: MatcherContext, received: unknown, expected: EventExpectation[], options?: MatcherOptions): Promise<MatcherResult> {
  assertTarget(received, 'toHaveEvents');
  const ctx = this ?? {};
  if (!Array.isArray(expected)) throw new TypeError('toHaveEvents takes a list: eventNames or steps such as {event: "SignIn", data: {email: "pat@shop.test"}}');
  const parsed = parseSpec({ name: 'toHaveEvents', visits: [{ name: 'the events', steps: expected.map(asStep) }] });
  if (!parsed.ok) {
    const place = parsed.problem.place.replace(/^visits\[0\]\.steps/, 'expected');
    throw new TypeError(`toHaveEvents: ${place}: ${parsed.problem.reason}`);
  }
  const spec = parsed.spec;
  return retry(ctx, options, async () => {
    const visits = await readVisits(received);
    const scope = 'runId' in received ? { run: received.runId } : 'visitId' in received ? { visitId: received.visitId } : {};
    const report = checkSpec(spec, { visits, identities: [] }, scope);
    const result = report.results[0];
    return {
      pass: report.passed,
      message: () => {
        const head = `expect(${targetText(received)}).${ctx.isNot ? 'not.' : ''}toHaveEvents(...)`;
        if (report.passed) return `${head}\n\nvisit ${result.visitId} has them, in this order, and was expected not to:\n${visitsText(visits.filter((v) => v.visitId === result.visitId))}`;
        const closest = visits.find((v) => v.visitId === (result.failure as { closestVisitId?: string } | undefined)?.closestVisitId) ?? visits[0];
        const wanted = spec.visits![0].steps.map((s) => ('event' in s && typeof s.event === 'string' && !('count' in s) ? s.event : JSON.stringify(s)));
        const diff = closest && ctx.utils?.diff ? ctx.utils.diff(wanted, closest.events.map((e) => e.eventName), { expand: false }) : null;
        return [
          head,
          '',
          formatText(report).trimEnd(),
          ...(diff ? ['', `Expected (in this order, others may come between) vs visit ${closest!.visitId}'s events:`, diff] : []),
          '',
          visitsText(visits),
          ...(visits.length ? [] : ['', hints(received)]),
        ].join('\n');
      },
    };
  });
}

/** POST /lab/check for the target (a Run: its run; {companion, visitId}: that visit); passes when the report does. */
export async function toSatisfySpec(this: MatcherContext, received: unknown, spec: Spec, options?: MatcherOptions): Promise<MatcherResult> {
  assertTarget(received, 'toSatisfySpec');
  const ctx = this ?? {};
  const scope: CheckOptions = 'runId' in received ? { run: received.runId } : 'visitId' in received ? { visitId: received.visitId } : {};
  let report: CheckReport | undefined;
  return retry(ctx, options, async () => {
    report = await companionOf(received).check(spec, scope);
    const r = report;
    return {
      pass: r.passed,
      message: () => `expect(${targetText(received)}).${ctx.isNot ? 'not.' : ''}toSatisfySpec(${JSON.stringify(r.spec)})\n\n${formatText(r).trimEnd()}`,
    };
  });
}

/** Give to expect.extend (Vitest, Jest, Playwright Test). */
export const visitorLabMatchers = { toHaveVisitorState, toHaveEvents, toSatisfySpec };

/**
 * The matchers' types. Opt in once, in a .d.ts or setup file:
 *   import type { VisitorLabMatchers } from 'visitor-lab/testing';
 *   declare module 'vitest' { interface Assertion<T> extends VisitorLabMatchers<T> {} }
 * (Playwright: `declare global { namespace PlaywrightTest { interface Matchers<R, T> extends VisitorLabMatchers<R> {} } }`.)
 */
export interface VisitorLabMatchers<R = unknown> {
  toHaveVisitorState(state: VisitorState, options?: MatcherOptions): Promise<R>;
  toHaveEvents(expected: EventExpectation[], options?: MatcherOptions): Promise<R>;
  toSatisfySpec(spec: Spec, options?: MatcherOptions): Promise<R>;
}
