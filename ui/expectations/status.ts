// The status of an expectation or a step while a tester browses: met, not yet (it may still
// come), failed (it cannot come any more: a rejection happened, or the check is final). Pure.
import type { ExpectationResult } from '../../protocol/expectations/types';

export type Status = 'met' | 'not-yet' | 'failed' | 'to-come';

/** Symbol and word: a status is never told by colour alone. */
export const STATUS_TEXT: Record<Status, { symbol: string; word: string }> = {
  met: { symbol: '✓', word: 'met' },
  'not-yet': { symbol: '…', word: 'not yet' },
  failed: { symbol: '✗', word: 'failed' },
  // Steps after the first unmet one: not yet either, and not what the tester looks for next.
  'to-come': { symbol: '·', word: 'not yet' },
};

/**
 * A result's status. `final`: the browsing is over (a stopped run, a finished test), so what is
 * unmet failed. While live, only what browsing on cannot mend is failed: a rejected or duplicate
 * event already happened (an undelivered one may still get through).
 */
export function resultStatus(r: ExpectationResult, final: boolean): Status {
  if (r.passed) return 'met';
  if (final) return 'failed';
  return r.place === 'noRejected' || r.place === 'noDuplicates' ? 'failed' : 'not-yet';
}
