// The document's schemas. Generated with zod's toJSONSchema where the protocol has a zod schema
// (the event, a visit or contact posted); hand-written elsewhere, each from the protocol's
// TypeScript type it names, whose keys `fields<T>` makes the compiler check: a field added to
// the type and not here (or here and not there) fails `tsc`.
import { z } from 'zod';
import { ContactInputSchema, VisitInputSchema, type ApiError, type Contact, type IdentityResource, type IntakeResponse, type IntakeResult, type PageResource, type Problem, type StoredEvent, type VisitResource } from '../../../protocol';
import { GtEventSchema } from '../../../protocol/event-schema';
import type { ImportSummary } from '../exchange/replay';
import type { LabVisitSummary } from '../lab-visits';
import { arrayOf, schemaRef as ref, type Schema } from './build';
import { fields, int, ms, num, object, orNull, str, strOrNull, visitorState } from './parts';
import { checkSchemas } from './schemas-check';
import { runSchemas } from './schemas-runs';

/** A zod schema as the JSON Schema of what a client sends (its input side). */
function generated(schema: z.ZodType): Schema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Schema;
  return rest;
}

const idsOrNull: Schema = { type: ['array', 'null'], items: str, description: 'null unless asked for with include_*' };

const gtEvent = generated(GtEventSchema) as { properties: Record<string, Schema>; required: string[] };

/** StoredEvent (protocol/events.ts) as the History API serves it (views.ts, servedEvent). */
function storedEvent(): Schema {
  const { sessionId: _spelling, ...browser } = gtEvent.properties;
  const server = fields<Omit<StoredEvent, keyof typeof GtEventSchema.shape>>({
    serverTimestamp: ms('when the companion received it (ms since 1970)'),
    browserPageID: { ...strOrNull, description: "the browser's page id (the pageID the tracker sent)" },
    visitorState: { ...visitorState, description: "the visit's visitor state right after this event" },
  });
  return {
    type: 'object',
    description: 'An event as stored: the browser\'s fields (GtEvent) and the server\'s; pageID names the page resource, category is always there.',
    properties: { ...browser, pageID: str, category: str, ...server },
    required: [...gtEvent.required, 'serverTimestamp', 'browserPageID', 'visitorState'],
  };
}

const page = fields<PageResource>({
  pageId: str,
  browserPageID: str,
  visitId: str,
  url: strOrNull,
  title: strOrNull,
  referrer: strOrNull,
  category: strOrNull,
  startDate: num,
  endDate: ms('0 while the page is open'),
  eventIds: idsOrNull,
  events: orNull(arrayOf(ref('StoredEvent'))),
});

const visit = fields<VisitResource>({
  visitId: str,
  globalVisitID: str,
  startDate: num,
  endDate: ms('0 while the visit is open'),
  userAgentId: strOrNull,
  userAgent: strOrNull,
  visitorState,
  activeSessionId: strOrNull,
  identityIds: arrayOf(str),
  eventIds: idsOrNull,
  events: orNull(arrayOf(ref('StoredEvent'))),
  pageIds: idsOrNull,
  pages: orNull(arrayOf(ref('PageResource'))),
});

const identity = fields<IdentityResource>({
  identityId: str,
  name: str,
  location: strOrNull,
  entityInCS: strOrNull,
  visitScope: { type: 'string', enum: ['Authenticated', 'Recognized'] },
  profile: { type: 'object' },
  visitIds: idsOrNull,
  visits: orNull(arrayOf(ref('VisitResource'))),
  pageIds: idsOrNull,
  pages: orNull(arrayOf(ref('PageResource'))),
  eventIds: idsOrNull,
  events: orNull(arrayOf(ref('StoredEvent'))),
});

const contact = fields<Contact>({
  contactId: str,
  userId: str,
  email: str,
  phone: str,
  firstName: str,
  lastName: str,
  origin: { type: 'string', enum: ['seed', 'SignIn', 'UserInfo'] },
});

const problem = fields<Problem>({ field: str, reason: str });

const intakeResult = fields<IntakeResult>({
  index: int,
  eventID: strOrNull,
  status: { type: 'string', enum: ['accepted', 'duplicate', 'rejected'] },
  field: { ...str, description: 'for rejected: the dotted path of the bad field' },
  reason: str,
  warnings: arrayOf(ref('Problem')),
  category: { ...str, description: "the event's categories as stored (semicolon-separated)" },
});

const intakeResponse = fields<IntakeResponse>({ accepted: int, duplicate: int, rejected: int, results: arrayOf(ref('IntakeResult')) });

const apiError = fields<ApiError>({
  error: { ...str, description: 'a code: bad_request, not_found, too_large, conflict, response_too_large, storage_failed, unauthorized, ...' },
  message: str,
  field: { ...str, description: 'the request parameter or body field at fault (`spec.visits[0].steps[2].re`, `page_size`, `body`), when there is one' },
});

const pageRef = orNull(object({ url: strOrNull, title: strOrNull }));
const labVisit = fields<LabVisitSummary>({
  visitId: str,
  globalVisitID: str,
  startDate: num,
  endDate: ms('0 while open'),
  lastActivity: num,
  visitorState,
  activeSessionId: strOrNull,
  identityIds: arrayOf(str),
  userAgent: strOrNull,
  pageCount: int,
  eventCount: int,
  firstPage: pageRef,
  lastPage: pageRef,
});

const counts = object({ accepted: int, duplicate: int, rejected: int });
const importSummary = fields<ImportSummary>({
  source: { type: 'string', enum: ['json', 'har'] },
  requests: int,
  events: counts,
  visits: object({ created: int, existing: int }),
  contacts: int,
  rejections: arrayOf(object({ index: int, eventID: strOrNull, field: str, reason: str, at: { ...str, description: 'the request in the document: requests[3], log.entries[7]' } }, ['field', 'reason'])),
});

/** companion/categories/definitions.ts, Category and CategoryTag (checked by hand there). */
const category = object({
  name: { type: 'string', minLength: 1, maxLength: 1000 },
  tags: arrayOf({
    anyOf: [
      { type: 'string', minLength: 1, maxLength: 1000, description: 'plain text' },
      object({ text: { type: 'string', minLength: 1 }, caseSensitive: { type: 'boolean' } }, ['caseSensitive']),
      object({ regex: { type: 'string', minLength: 1 }, caseSensitive: { type: 'boolean' } }, ['caseSensitive']),
    ],
  }),
});

/** GET /lab/health (companion/server/lab.ts). */
const health = object(
  {
    name: { const: 'visitor-lab-companion' },
    version: str,
    status: { const: 'ok' },
    startedAt: num,
    uptimeSeconds: int,
    store: { enum: ['embedded', 'postgres'], description: 'where the data is kept: the data directory, or PostgreSQL (--store)' },
    dataDir: { ...str, description: 'the embedded store\'s data directory' },
    database: { ...str, description: 'the PostgreSQL store\'s database URL, without its password' },
    visitExpirationTime: { type: 'number', description: 'seconds' },
    counts: object(Object.fromEntries(['visits', 'pages', 'events', 'identities', 'sessions', 'contacts'].map((k) => [k, int]))),
    retention: object(
      {
        retainDays: { type: 'number', description: 'visits quiet for longer are forgotten (--retain-days)' },
        maxEvents: { ...int, description: 'past it the oldest visits are forgotten until 95% of it remain (--max-events)' },
        forgotten: { ...object({ visits: int, events: int }), description: 'what this companion forgot since it started' },
      },
      ['retainDays', 'maxEvents'],
      'present when --retain-days or --max-events is set',
    ),
  },
  ['dataDir', 'database', 'retention'],
);

/** GET /lab/changes (companion/server/lab-visits.ts). */
const changes = object(
  {
    seq: int,
    visits: int,
    visit: orNull(object({ events: int, pages: int, visitorState, endDate: num })),
  },
  ['visit'],
);

/** Every schema of the document, by the name its $refs use. */
export function schemas(): Record<string, Schema> {
  return {
    GtEvent: { description: 'An event as the tracker sends it (protocol/events.ts); other fields are dropped.', ...gtEvent },
    StoredEvent: storedEvent(),
    VisitInput: generated(VisitInputSchema),
    ContactInput: generated(ContactInputSchema),
    PageResource: object(page),
    VisitResource: object(visit),
    IdentityResource: object(identity),
    Contact: object(contact, ['userId', 'email', 'phone', 'firstName', 'lastName']),
    Problem: object(problem),
    IntakeResult: object(intakeResult, ['field', 'reason', 'warnings', 'category']),
    IntakeResponse: object(intakeResponse),
    IntakeRefused: {
      description: 'Every event rejected: the first one\'s field, and the whole answer.',
      allOf: [ref('Error'), ref('IntakeResponse')],
    },
    Error: object(apiError, ['field']),
    LabVisitSummary: object(labVisit),
    ImportSummary: object(importSummary),
    Category: category,
    Health: health,
    Changes: changes,
    ...runSchemas(),
    ...checkSchemas(),
  };
}
