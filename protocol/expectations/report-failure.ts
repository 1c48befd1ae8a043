// What the text and JUnit reporters both say about a failed expectation: its message, then
// the visit it came closest to and the events found around the first unmet step.
import type { ExpectationResult, StepFailure } from './types';

const isStepFailure = (f: ExpectationResult['failure']): f is StepFailure => !!f && 'stepsMet' in f && 'place' in f;

/** The failure's message (the checker's words, or a plain "failed" when it gave none). */
export function failureMessage(result: ExpectationResult): string {
  return result.failure?.message || `${result.place} failed`;
}

/** The lines under the message: where in the spec, the closest visit, what was found there. */
export function failureDetails(result: ExpectationResult): string[] {
  const f = result.failure;
  if (!isStepFailure(f)) return [];
  const lines = [`at ${f.place}: ${JSON.stringify(f.step)}`];
  if (f.closestVisitId !== undefined) lines.push(`closest visit: ${f.closestVisitId} (${f.stepsMet} step${f.stepsMet === 1 ? '' : 's'} met)`);
  else lines.push('no visit met any step');
  if (f.found.length) {
    lines.push('found:');
    for (const e of f.found) {
      const parts = [e.eventName];
      if (e.url !== undefined) parts.push(e.url);
      if (e.visitorState !== undefined) parts.push(`state ${e.visitorState}`);
      if (e.data !== undefined) parts.push(`data ${JSON.stringify(e.data)}`);
      lines.push(`  ${parts.join('  ')}`);
    }
  }
  return lines;
}

export function scopeText(scope: { run?: string; visitId?: string; visits: number }): string {
  const what = scope.visitId !== undefined ? `visit ${scope.visitId}` : scope.run !== undefined ? `run ${scope.run}` : 'everything';
  return `${what}, ${scope.visits} visit${scope.visits === 1 ? '' : 's'}`;
}
