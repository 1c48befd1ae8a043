// A run's facts in words for the web app's runs pages (pure).
import type { RunCaptures, RunCheck, RunSummary } from '../../../protocol/runs';
import { dateTime, plural } from '../shared/format';

/** "running", "running (the companion's active run)", "stopped 2026-11-30 02:10:04". */
export function runStateWords(run: RunSummary): string {
  if (run.stoppedAt === null) return run.active ? "running (the companion's active run)" : 'running';
  return `stopped ${dateTime(run.stoppedAt)}`;
}

/** "passed: remembered sign-in (3 passed)", "failed: checkout (1 failed, 2 passed)". */
export function checkWords(check: RunCheck): string {
  const { passed, failed } = check.summary;
  const counts = failed ? `${failed} failed, ${passed} passed` : `${passed} passed`;
  return `${check.passed ? 'passed' : 'failed'}: ${check.spec || 'a spec'} (${counts})`;
}

export function countsWords(c: { visits: number; events: number; rejected: number; duplicates: number }): string {
  return `${plural(c.events, 'event')} in ${plural(c.visits, 'visit')}, ${plural(c.rejected, 'rejected', 'rejected')}, ${plural(c.duplicates, 'duplicate')}`;
}

/**
 * What the extension reported capturing for the run: "40 captured, all stored",
 * "40 captured, 3 not stored yet"; none reported: said so (only a browser with the extension reports).
 */
export function capturesWords(c: RunCaptures | undefined): string {
  if (!c) return 'no report from an extension (events sent by other clients are not reconciled)';
  return `${c.captured.toLocaleString('en')} captured, ${c.undelivered === 0 ? 'all stored' : `${c.undelivered.toLocaleString('en')} not stored yet`}`;
}
