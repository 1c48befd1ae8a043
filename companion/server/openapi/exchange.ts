// Export and import (companion/server/exchange/routes.ts).
import { BAD_REQUEST, json, NOT_FOUND, queryParams, schemaRef, STORAGE, type Paths } from './build';

/** protocol/exchange/document.ts, ExportDocument (and ExportVisit, ExportRequest): hand-written from its fields. */
const exportDocument = {
  type: 'object',
  properties: {
    format: { const: 'visitor-lab-export' },
    version: { const: 1 },
    exportedAt: { type: 'string', format: 'date-time' },
    creator: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'string' } }, required: ['name', 'version'] },
    scope: { type: 'object', description: '{all: true}, {run}, {visitId} or {identityId}' },
    contacts: { type: 'array', items: schemaRef('ContactInput') },
    visits: {
      type: 'array',
      description: 'ExportVisit: visits made by POST /server/data/visits that no event reached',
      items: {
        type: 'object',
        properties: { visitId: { type: 'string' }, globalVisitID: { type: 'string' }, startDate: { type: 'number' }, userAgent: { type: ['string', 'null'] } },
        required: ['visitId', 'globalVisitID', 'startDate', 'userAgent'],
      },
    },
    requests: {
      type: 'array',
      items: {
        type: 'object',
        properties: { serverTimestamp: { type: 'number' }, userAgent: { type: ['string', 'null'] }, events: { type: 'array', items: schemaRef('StoredEvent') } },
        required: ['serverTimestamp', 'userAgent', 'events'],
      },
    },
    capture: { type: 'array', description: "the extension's capture log; not replayed by import" },
  },
  required: ['format', 'version', 'exportedAt', 'creator', 'scope', 'contacts', 'visits', 'requests'],
};

const download = {
  'Content-Disposition': { description: 'attachment; filename="visitor-lab-{all|run-ID|visit-ID|identity-ID}-{time}.{format}"', schema: { type: 'string' } },
};

export const exchangePaths: Paths = {
  '/lab/export': {
    get: {
      operationId: 'export',
      tags: ['lab'],
      summary: 'Export everything, a run\'s events, a visit or an identity\'s visits (JSON, HAR 1.2 or CSV), streamed',
      parameters: queryParams({ format: ['json', 'har', 'csv'], run: 'text', visitId: 'text', identityId: 'text' }, { format: 'json' }),
      responses: {
        '200': {
          description: 'the file (run, visitId or identityId: one at most)',
          headers: download,
          content: {
            'application/json': { schema: { anyOf: [exportDocument, { type: 'object', description: 'HAR 1.2', properties: { log: { type: 'object' } }, required: ['log'] }] } },
            'text/csv': { schema: { type: 'string' } },
          },
        },
        ...BAD_REQUEST,
        ...NOT_FOUND,
      },
      'x-visitor-lab-addition': true,
    },
  },
  '/lab/import': {
    post: {
      operationId: 'import',
      tags: ['lab'],
      summary: 'Replay a JSON export or a HAR through intake (up to 256 MB; importing twice changes nothing)',
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { anyOf: [exportDocument, { type: 'object', properties: { log: { type: 'object' } }, required: ['log'] }] } } },
      },
      responses: { '200': json('what was replayed', schemaRef('ImportSummary')), ...BAD_REQUEST, '413': { $ref: '#/components/responses/TooLarge' }, ...STORAGE },
      'x-visitor-lab-addition': true,
    },
  },
};
