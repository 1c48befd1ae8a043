// The text reporter, for a person in a terminal: a line per expectation saying passed or
// failed in words as well as ✓/✗ (no colour needed), each failure's message and what was
// found indented under it, and a summary line.
import { failureDetails, failureMessage, scopeText } from './report-failure';
import type { CheckReport } from './types';

const mark = (passed: boolean) => (passed ? '✓ passed' : '✗ failed');
const indent = (text: string, by: string) => text.split('\n').map((line) => by + line).join('\n');

export function formatText(report: CheckReport): string {
  const out = [`${mark(report.passed)}  ${report.spec}  (${scopeText(report.scope)})`];
  for (const r of report.results) {
    const where = r.name === r.place ? r.place : `${r.name} (${r.place})`;
    const met = r.visitId !== undefined ? `: visit ${r.visitId}` : '';
    out.push(`  ${mark(r.passed)}  ${where}${met}`);
    if (r.passed) continue;
    out.push(indent(failureMessage(r), '      '));
    for (const line of failureDetails(r)) out.push(indent(line, '      '));
  }
  const { passed, failed } = report.summary;
  out.push(`${passed} passed, ${failed} failed`);
  return out.join('\n') + '\n';
}
