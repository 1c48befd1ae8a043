// The spec the Check page holds: its text (kept in sessionStorage, so a reload keeps it and
// nothing of it goes in the URL), parsed in the page with the protocol's parseSpec, and the
// scope (which is in the URL: ?run= or ?visitId=).
import { parseSpecText, type Spec, type SpecProblem } from '../../../protocol/expectations';

export const SPEC_STORAGE_KEY = 'visitor-lab:check-spec';

export type ParsedSpec = { ok: true; spec: Spec } | { ok: false; problem: SpecProblem } | null;

/** The text as a spec; a problem names its place (`visits[0].steps[2].re`, or `spec` for the text itself). Null for no text. */
export function specOfText(text: string): ParsedSpec {
  if (text.trim() === '') return null;
  const parsed = parseSpecText(text);
  return parsed.ok ? parsed : { ok: false, problem: { place: parsed.problem.place ? `spec.${parsed.problem.place}` : 'spec', reason: parsed.problem.reason } };
}

export function savedSpecText(): string {
  try {
    return sessionStorage.getItem(SPEC_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function saveSpecText(text: string): void {
  try {
    if (text) sessionStorage.setItem(SPEC_STORAGE_KEY, text);
    else sessionStorage.removeItem(SPEC_STORAGE_KEY);
  } catch {
    /* storage off or full: the spec lives as long as the page */
  }
}

export interface CheckScopeQuery {
  run?: string;
  visitId?: string;
}

export function scopeOf(query: URLSearchParams): CheckScopeQuery {
  const run = query.get('run') || undefined;
  const visitId = query.get('visitId') || undefined;
  return { ...(run ? { run } : {}), ...(visitId ? { visitId } : {}) };
}

export function scopeQuery(scope: CheckScopeQuery): string {
  const q = new URLSearchParams();
  if (scope.run) q.set('run', scope.run);
  if (scope.visitId) q.set('visitId', scope.visitId);
  const s = q.toString();
  return s ? `?${s}` : '';
}
