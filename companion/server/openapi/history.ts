// GWE's History REST API under /server/data (companion/server/history/routes.ts): each route
// with the query spec it parses, so the parameters here are the ones the route reads.
import { PAGING, type Spec } from '../history/query';
import { EVENT_FILTERS, IDENTITY_INC, PAGE_FILTERS, PAGE_INC, VISIT_FILTERS, VISIT_INC } from '../history/routes';
import {
  arrayOf,
  BAD_REQUEST,
  PAGING_NEXT,
  json,
  jsonBody,
  NOT_FOUND,
  pathParam,
  queryParams,
  responseRef,
  schemaRef,
  STORAGE,
  TOO_LARGE,
  type Operation,
  type Parameter,
  type Paths,
} from './build';

const DATA = '/server/data';

const IGNORED = {
  'X-Ignored-Parameters': {
    description: "the request's parameters this route does not know, ignored (percent-encoded, comma-separated, cut at 2,000 characters with `...`)",
    schema: { type: 'string' },
  },
};
const visitId = pathParam('visitId', 'the visit');
const identityId = pathParam('identityId', 'the identity, as typed or in its canonical form (NFKC, an email in lower case)');
const pageId = pathParam('pageId', 'the page resource: the pageID of its events as served (`{visitId}:{browserPageID}`)');

/** A GET of the History API: unknown parameters ignored and named, a 400 for a bad one. */
function read(operationId: string, summary: string, path: Parameter[], spec: Spec, ok: Record<string, unknown>, notFound = true): Operation {
  return {
    operationId,
    tags: ['History'],
    summary,
    parameters: [...path, ...queryParams(spec)],
    responses: { ...ok, ...BAD_REQUEST, ...(notFound ? NOT_FOUND : {}) },
  };
}

/** A collection: a page of `item`, 204 when nothing matches. */
function list(operationId: string, summary: string, path: Parameter[], spec: Spec, item: string, notFound = true): Operation {
  return read(operationId, summary, path, { ...spec, ...PAGING }, {
    '200': json(`a page of ${summary.toLowerCase()}`, arrayOf(schemaRef(item)), { ...PAGING_NEXT, ...IGNORED }),
    '204': { description: 'nothing (left) to match' },
  }, notFound);
}

const one = (item: string, description: string, schema = schemaRef(item)) => ({ '200': json(description, schema, IGNORED) });

export const historyPaths: Paths = {
  [`${DATA}/identities`]: { get: list('listIdentities', 'Identities', [], { ...IDENTITY_INC, location: 'text', userAgent: 'text' }, 'IdentityResource', false) },
  [`${DATA}/identities/{identityId}`]: {
    get: read('getIdentity', 'An identity (a one-element array, as GWE answers)', [identityId], IDENTITY_INC, one('IdentityResource', 'the identity', arrayOf(schemaRef('IdentityResource')))),
  },
  [`${DATA}/identities/{identityId}/visits`]: { get: list('listIdentityVisits', "An identity's visits", [identityId], { ...VISIT_INC, ...VISIT_FILTERS }, 'VisitResource') },
  [`${DATA}/identities/{identityId}/pages`]: { get: list('listIdentityPages', "An identity's pages", [identityId], { ...PAGE_INC, ...PAGE_FILTERS }, 'PageResource') },
  [`${DATA}/identities/{identityId}/events`]: { get: list('listIdentityEvents', "An identity's events", [identityId], { ...EVENT_FILTERS, globalVisitID: 'text' }, 'StoredEvent') },
  [`${DATA}/visits`]: {
    get: { ...list('listVisits', 'Visits, oldest first', [], { ...VISIT_INC, ...VISIT_FILTERS }, 'VisitResource', false), 'x-visitor-lab-addition': true },
    post: {
      operationId: 'createVisit',
      tags: ['History'],
      summary: 'Create a visit',
      description: "The body may be shaped like GWE's visit resource: the fields the server sets are ignored and named in X-Ignored-Fields; any other unknown field is a 400 naming it.",
      requestBody: jsonBody(schemaRef('VisitInput')),
      responses: {
        '201': json('the visit', schemaRef('VisitResource'), {
          Location: { description: 'the new visit', schema: { type: 'string' } },
          'X-Ignored-Fields': { description: "the body's fields the server sets, ignored (comma-separated)", schema: { type: 'string' } },
          ...IGNORED,
        }),
        ...BAD_REQUEST,
        '409': responseRef('Conflict'),
        ...TOO_LARGE,
        ...STORAGE,
      },
    },
  },
  [`${DATA}/visits/{visitId}`]: { get: read('getVisit', 'A visit', [visitId], VISIT_INC, one('VisitResource', 'the visit')) },
  [`${DATA}/visits/{visitId}/pages`]: { get: list('listVisitPages', "A visit's pages", [visitId], { ...PAGE_INC, ...PAGE_FILTERS }, 'PageResource') },
  [`${DATA}/visits/{visitId}/events`]: {
    get: list('listVisitEvents', "A visit's events", [visitId], { ...EVENT_FILTERS, browserPageID: 'text' }, 'StoredEvent'),
    post: {
      operationId: 'postVisitEvents',
      tags: ['History'],
      summary: 'Add events to a visit',
      description: "As intake: visitID and globalVisitID are the visit's, eventID and timestamp default to new ones.",
      parameters: [visitId],
      requestBody: jsonBody({ anyOf: [{ type: 'object' }, arrayOf({ type: 'object' })] }, 'events as GtEvent, their visitID, globalVisitID, eventID and timestamp optional'),
      responses: {
        '201': json('a result per event', schemaRef('IntakeResponse'), IGNORED),
        '400': { description: 'every event rejected, or a bad body', content: { 'application/json': { schema: { anyOf: [schemaRef('IntakeRefused'), schemaRef('Error')] } } } },
        ...NOT_FOUND,
        ...TOO_LARGE,
        ...STORAGE,
      },
    },
  },
  [`${DATA}/pages/{pageId}`]: { get: read('getPage', 'A page (GWE 8.5.1)', [pageId], PAGE_INC, one('PageResource', 'the page')) },
  [`${DATA}/pages/{pageId}/events`]: {
    get: list('listPageEvents', "A page's events (GWE 8.5.1)", [pageId], { age: 'age', eventName: 'text', eventType: ['SYSTEM', 'BUSINESS'], category: 'text' }, 'StoredEvent'),
  },
  [`${DATA}/visits/{visitId}/identities`]: {
    get: list('listVisitIdentities', "A visit's identities", [visitId], { ...IDENTITY_INC, association: ['Authenticated', 'Recognized'] }, 'IdentityResource'),
  },
};

