// A regular expression a person wrote (a category's tag, a spec's {re}) that the companion will
// run on every event: it must compile, and must not backtrack exponentially on a long url
// (safe-regex2 flags repetition inside repetition, the usual culprit, like (a+)+).
import safeRegex from 'safe-regex2';

/** Why `source` cannot be used, or null when it can. */
export function userRegexProblem(source: string): string | null {
  try {
    new RegExp(source);
  } catch (e) {
    return `is not a regular expression (${(e as Error).message})`;
  }
  if (!safeRegex(source)) {
    return 'repeats a group that itself repeats (like (a+)+): it could take exponential time on some values; write it without the nested repetition';
  }
  return null;
}
