// The event as a zod schema: the shape protocol/events.ts checks by hand (for speed, and so the
// extension bundles no zod). Not used to check events; it is the reference the hand-written
// check must agree with (test/unit/protocol/check-event-equivalence.test.ts) and the source of
// the GtEvent schema of the companion's OpenAPI document (companion/server/openapi/).
import { z } from 'zod';
import { LIMITS, MAX_TIMESTAMP, TIMESTAMP_TOO_BIG } from './events';
import { IdSchema } from './ids';

const text = z.string().max(LIMITS.textLength);

export const GtEventSchema = z.object({
  eventType: z.enum(['SYSTEM', 'BUSINESS']),
  eventName: z.string().trim().min(1, 'must be a non-empty string').max(LIMITS.nameLength),
  eventID: IdSchema,
  pageID: IdSchema.optional(),
  timestamp: z.number().finite().nonnegative().lt(MAX_TIMESTAMP, TIMESTAMP_TOO_BIG),
  category: text.optional(),
  url: text.optional(),
  languageCode: z.string().max(64).optional(),
  globalVisitID: IdSchema,
  visitID: IdSchema,
  sessionID: IdSchema.optional(),
  /** GWE's clients' spelling of sessionID: read as sessionID when that is not there. */
  sessionId: IdSchema.optional(),
  timezoneOffset: z.number().finite().optional(),
  data: z.looseObject({}).optional(),
});
