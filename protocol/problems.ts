import type { z } from 'zod';

/** What is wrong with an input: the dotted path of the bad field, and why. */
export interface Problem {
  /** Dotted path of the offending field, e.g. `data.userId` or `[2].email`; `body` for the whole. */
  field: string;
  reason: string;
}

/** The first zod issue as a Problem; an unknown key is named itself, not its parent object. */
export function problemOf(error: z.ZodError, prefix = ''): Problem {
  const issue = error.issues[0];
  const keys = issue.code === 'unrecognized_keys' ? [issue.keys[0]] : [];
  const path = [prefix, ...issue.path.map(String), ...keys].filter(Boolean).join('.');
  return { field: path || 'body', reason: issue.message };
}
