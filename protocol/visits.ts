// The body of POST /server/data/visits (a visit created through the History API). It may be
// shaped like GWE's own visit resource (a client copying a visit it read): the fields that are
// the server's to set are accepted and ignored; any other unknown field is still a 400 naming
// it, so a misspelt one (`visitID`) is not silently dropped.
import { z } from 'zod';
import { IdSchema } from './ids';

/**
 * The visit resource's fields the server sets (GWE's, and Visitor Lab's additions), ignored in
 * a POST body whatever their value. GWE's documentation spells userAgentId both ways.
 */
export const VISIT_SERVER_FIELDS = [
  'endDate', 'userAgentId', 'userAgentID', 'eventIds', 'events', 'pageIds', 'pages', 'sessionIds', 'sessions',
  'activeSessionId', 'visitorState', 'identityIds',
] as const;

export const VisitInputSchema = z
  .object({
    visitId: IdSchema.optional(),
    globalVisitID: IdSchema.optional(),
    startDate: z.number().finite().nonnegative().optional(),
    userAgent: z.string().max(2048).optional(),
  })
  .strict();
export type VisitInput = z.infer<typeof VisitInputSchema>;

/** The body without the server's fields, and the names of those it held (in body order). */
export function withoutServerFields(body: Record<string, unknown>): { input: Record<string, unknown>; ignored: string[] } {
  const input: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if ((VISIT_SERVER_FIELDS as readonly string[]).includes(key)) ignored.push(key);
    // As an own key (an assignment to `__proto__` would set the prototype): the schema names it.
    else Object.defineProperty(input, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return { input, ignored };
}
