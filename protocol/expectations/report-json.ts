// The json reporter: the report as the companion answered it, for tools that read it back.
import type { CheckReport } from './types';

export function formatJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
