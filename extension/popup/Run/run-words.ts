// The popup's run line in words: pure, unit-tested.
import type { RunResource } from '../../../protocol/runs';

/** "42 s", "3 min 12 s", "2 h 5 min": how long a run has gone on. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const n = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString('en')} ${count === 1 ? one : many}`;

/** "14 events in 2 visits; 1 rejected, no duplicates". */
export function countsLine(run: RunResource): string {
  const { events, visits, rejected, duplicates } = run.counts;
  const problems = rejected || duplicates ? `; ${n(rejected, 'rejected', 'rejected')}, ${n(duplicates, 'duplicate')}` : '; nothing rejected';
  return `${n(events, 'event')} in ${n(visits, 'visit')}${problems}`;
}

/** "on for 3 min 12 s", or "stopped after 5 min 0 s" (stopped elsewhere: a suite, the web app). */
export function ageLine(run: RunResource, now: number): string {
  return run.stoppedAt ? `stopped after ${duration(run.stoppedAt - run.startedAt)}` : `on for ${duration(now - run.startedAt)}`;
}
