// Waiting for what arrives a moment later: the extension delivers events in batches, after the
// page's commands ran. Each helper polls with a bounded timeout and, when it runs out, says what
// it waited for, what was there instead, and what to check.
import type { StoredEvent, VisitorState } from '../protocol/events';
import { runHandle, type Companion } from './companion';
import { companionOf, hints, readVisits, targetText, type SeenVisit, type Target } from './target';

export const DEFAULT_TIMEOUT = 5_000;
export const POLL_INTERVAL = 100;

export interface WaitOptions {
  /** Milliseconds (default 5,000). */
  timeout?: number;
  interval?: number;
}

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

/**
 * Calls `attempt` until it returns a value (not undefined) or the time is up; then throws with
 * `explain(last)`. A request that fails (the companion busy, a run not there yet) is tried again.
 */
export async function poll<T, L>(attempt: () => Promise<{ done: T } | { last: L }>, explain: (last: L | undefined, error?: Error) => string, options: WaitOptions = {}): Promise<T> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const deadline = Date.now() + timeout;
  let last: L | undefined;
  let error: Error | undefined;
  for (;;) {
    try {
      const r = await attempt();
      if ('done' in r) return r.done;
      last = r.last;
      error = undefined;
    } catch (e) {
      error = e as Error;
    }
    if (Date.now() >= deadline) throw new WaitTimeoutError(explain(last, error));
    await new Promise((r) => setTimeout(r, options.interval ?? POLL_INTERVAL));
  }
}

/** One line per event, as a person scans them. */
export function eventLines(events: StoredEvent[], max = 20): string {
  const shown = events.slice(-max).map((e) => `    ${e.eventName}${e.url ? `  ${e.url}` : ''}  → ${e.visitorState}`);
  const more = events.length > max ? [`    (${events.length - max} earlier events not shown)`] : [];
  return [...more, ...shown].join('\n') || '    (none)';
}

export function visitsText(visits: SeenVisit[]): string {
  if (visits.length === 0) return '  no visits at all';
  return visits
    .slice(0, 5)
    .map((v) => `  visit ${v.visitId} (${v.visitorState}, ${v.events.length} events):\n${eventLines(v.events, 12)}`)
    .join('\n');
}

export interface EventsWanted {
  /** Narrow a companion to one visit. */
  visitId?: string;
  /** Narrow a companion to a run (its runId). */
  run?: string;
  eventName?: string;
  /** At least this many (default 1). */
  count?: number;
}

function narrow(target: Target, want: EventsWanted): Target {
  const companion = companionOf(target);
  if (want.visitId) return { companion, visitId: want.visitId };
  if (want.run) return runHandle(companion, { runId: want.run });
  return target;
}

/** Waits until the target holds at least `count` events (of `eventName`); answers them, oldest first. */
export async function waitForEvents(target: Target | Companion, want: EventsWanted = {}, options: WaitOptions = {}): Promise<StoredEvent[]> {
  const t = narrow(target, want);
  const count = want.count ?? 1;
  const what = `${count} ${want.eventName ?? ''} event${count === 1 ? '' : 's'}`.replace('  ', ' ');
  return poll<StoredEvent[], SeenVisit[]>(
    async () => {
      const visits = await readVisits(t);
      const events = visits
        .flatMap((v) => v.events)
        .filter((e) => !want.eventName || e.eventName === want.eventName)
        .sort((a, b) => a.serverTimestamp - b.serverTimestamp);
      return events.length >= count ? { done: events } : { last: visits };
    },
    (visits, error) =>
      [
        `waitForEvents: waited ${options.timeout ?? DEFAULT_TIMEOUT} ms for ${what} in ${targetText(t)}; found instead:`,
        error ? `  (the last read failed: ${error.message})` : visitsText(visits ?? []),
        hints(t),
      ].join('\n'),
    options,
  );
}

/** Waits until the target's newest visit is in `state`; answers that visit. */
export async function waitForVisitorState(target: Target, state: VisitorState, options: WaitOptions = {}): Promise<SeenVisit> {
  return poll<SeenVisit, SeenVisit[]>(
    async () => {
      const visits = await readVisits(target);
      return visits[0]?.visitorState === state ? { done: visits[0] } : { last: visits };
    },
    (visits, error) =>
      [
        `waitForVisitorState: waited ${options.timeout ?? DEFAULT_TIMEOUT} ms for ${targetText(target)} to be ${state}; ` +
          (visits?.[0] ? `its newest visit ${visits[0].visitId} is ${visits[0].visitorState}:` : 'found instead:'),
        error ? `  (the last read failed: ${error.message})` : visitsText(visits ?? []),
        hints(target),
      ].join('\n'),
    options,
  );
}
