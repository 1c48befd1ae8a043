// The lab API's own routes (companion/server/lab.ts, lab-visits.ts): health, reset, contacts,
// the web app's visits list and change counter. Unlike the History API, an unknown query
// parameter is a 400 naming it. A new lab route is one entry here (or in its family's file:
// runs.ts, check.ts, categories.ts, exchange.ts).
import { PAGING } from '../history/query';
import { VISITS_SPEC } from '../lab-visits';
import { arrayOf, BAD_REQUEST, PAGING_NEXT, json, jsonBody, NOT_FOUND, pathParam, queryParams, schemaRef, STORAGE, TOO_LARGE, type Operation, type Paths } from './build';

/** A lab operation: Visitor Lab's own (GWE has no such route). */
const lab = (op: Omit<Operation, 'tags'>): Operation => ({ tags: ['lab'], ...op, 'x-visitor-lab-addition': true });

export const labPaths: Paths = {
  '/lab/openapi.json': {
    get: lab({
      operationId: 'getOpenApi',
      summary: 'This document (OpenAPI 3.1), with an ETag',
      responses: { '200': json('the document', { type: 'object', required: ['openapi', 'info', 'paths'] }), '304': { description: 'not changed since (If-None-Match)' }, ...BAD_REQUEST },
    }),
  },
  '/lab/health': {
    get: lab({ operationId: 'getHealth', summary: "The companion's version, data folder and counts", responses: { '200': json('the health', schemaRef('Health')), ...BAD_REQUEST } }),
  },
  '/lab/reset': {
    post: lab({
      operationId: 'reset',
      summary: 'Empty the store (durably, runs included); with run, forget only that run\'s visits (whole) and the run',
      parameters: queryParams({ run: 'text' }),
      responses: {
        '200': json('emptied (with run: the run named)', { type: 'object', properties: { status: { const: 'reset' }, run: { type: 'string' } }, required: ['status'] }),
        ...BAD_REQUEST,
        ...NOT_FOUND,
        ...STORAGE,
      },
    }),
  },
  '/lab/contacts': {
    get: lab({
      operationId: 'listContacts',
      summary: 'The contact directory, in the order stored, a page at a time ([] when empty)',
      parameters: queryParams(PAGING),
      responses: { '200': json('a page of contacts', arrayOf(schemaRef('Contact')), PAGING_NEXT), ...BAD_REQUEST },
    }),
    post: lab({
      operationId: 'postContacts',
      summary: 'Create or update contacts (one object or an array; one of userId, email, phone each)',
      requestBody: jsonBody({ anyOf: [schemaRef('ContactInput'), { ...arrayOf(schemaRef('ContactInput')), minItems: 1 }] }),
      responses: { '201': json('the contacts as stored', arrayOf(schemaRef('Contact'))), ...BAD_REQUEST, ...TOO_LARGE, ...STORAGE },
    }),
  },
  '/lab/contacts/{contactId}': {
    get: lab({
      operationId: 'getContact',
      summary: 'One contact',
      parameters: [pathParam('contactId', 'the contact')],
      responses: { '200': json('the contact', schemaRef('Contact')), ...BAD_REQUEST, ...NOT_FOUND },
    }),
  },
  '/lab/visits': {
    get: lab({
      operationId: 'listLabVisits',
      summary: 'The visits newest first, a row each, with the filters a tester reaches for',
      parameters: queryParams(VISITS_SPEC),
      responses: { '200': json('a page of visits', arrayOf(schemaRef('LabVisitSummary')), PAGING_NEXT), ...BAD_REQUEST },
    }),
  },
  '/lab/changes': {
    get: lab({
      operationId: 'getChanges',
      summary: 'A counter that moves with every stored change (with visitId: that visit\'s counts too)',
      parameters: queryParams({ visitId: 'text' }),
      responses: { '200': json('the counters', schemaRef('Changes')), ...BAD_REQUEST },
    }),
  },
};
