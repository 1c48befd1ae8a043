// The pieces every part of the OpenAPI document is made of: operations, parameters (from the
// query specs the routes parse with: companion/server/history/query.ts), and the answers the
// routes share. A route is documented by one entry in its family's file (intake.ts, history.ts,
// lab.ts, exchange.ts, categories.ts, web.ts); document.ts puts the families together.
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type ParamKind, type Spec } from '../history/query';

export type Schema = Record<string, unknown>;
export type Method = 'get' | 'post' | 'put' | 'delete';
export type Tag = 'intake' | 'History' | 'lab' | 'resources' | 'web app';

export interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  description?: string;
  schema: Schema;
}

export interface Operation {
  operationId: string;
  tags: Tag[];
  summary: string;
  description?: string;
  parameters?: Parameter[];
  requestBody?: { required: boolean; description?: string; content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
  /** Set by document.ts: who may call it (HTTP Basic under --auth). */
  security?: Record<string, string[]>[];
  /** Visitor Lab's own routes beside GWE's: true when GWE has no such route. */
  'x-visitor-lab-addition'?: boolean;
}

/** Paths as OpenAPI writes them (`/server/data/visits/{visitId}`), each with its operations. */
export type Paths = Record<string, Partial<Record<Method, Operation>>>;

export const schemaRef = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const responseRef = (name: string) => ({ $ref: `#/components/responses/${name}` });

const DESCRIPTIONS: Record<string, string> = {
  age: 'only what was active within this many seconds',
  url: 'only those whose url holds this text',
  title: 'only pages whose title holds this text',
  userAgent: 'only those whose user agent holds this text',
  location: 'only identities whose location holds this text',
  category: 'only those in this category (one of its semicolon-separated names; `all categories` for any)',
  eventName: 'only events of this name',
  eventType: 'only events of this type',
  globalVisitID: 'only those of this globalVisitID',
  browserPageID: 'only events of this browser page id (the pageID the tracker sent)',
  association: 'only identities associated with the visit this way',
  page_size: 'how many items one page holds (a Paging-Next header says more follow)',
  page_key: 'the key of the page to read: the Paging-Next header of the page before',
  visitId: 'only this visit',
  identityId: 'only this identity (as typed or canonical)',
  visitorState: 'only visits in this visitor state right now',
  format: 'the file format',
  run: 'only this run (its runId); an unknown one is a 404 naming run',
};

function kindSchema(kind: ParamKind): Schema {
  if (Array.isArray(kind)) return { type: 'string', enum: [...kind] };
  switch (kind) {
    case 'bool':
      return { type: 'boolean', default: false };
    case 'age':
      return { type: 'number', minimum: 0 };
    case 'pageSize':
      return { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE };
    case 'pageKey':
      return { type: 'string', maxLength: 8192 };
    default:
      return { type: 'string', minLength: 1, maxLength: 8192 };
  }
}

function flagDescription(name: string): string | undefined {
  const m = /^include_(visits|pages|events)(_detail)?$/.exec(name);
  if (!m) return undefined;
  return m[2] ? `embed the ${m[1]} themselves (with include_${m[1]} not false)` : `list the ${m[1]}' ids`;
}

/**
 * The query parameters of a query spec, as the route reads them. `defaults`: the values a
 * route takes when a parameter is not given, besides page_size's (the export's format).
 */
export function queryParams(spec: Spec, defaults: Record<string, unknown> = {}): Parameter[] {
  return Object.entries(spec).map(([name, kind]) => {
    const schema = kindSchema(kind);
    if (name in defaults) schema.default = defaults[name];
    const description = flagDescription(name) ?? DESCRIPTIONS[name];
    return { name, in: 'query' as const, ...(description ? { description } : {}), schema };
  });
}

export const pathParam = (name: string, description: string): Parameter => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string', minLength: 1 },
});

/** A JSON answer. */
export function json(description: string, schema: Schema, headers?: Record<string, unknown>) {
  return { description, ...(headers ? { headers } : {}), content: { 'application/json': { schema } } };
}

export const jsonBody = (schema: Schema, description?: string) => ({
  required: true,
  ...(description ? { description } : {}),
  content: { 'application/json': { schema } },
});

export const arrayOf = (schema: Schema): Schema => ({ type: 'array', items: schema });

/** The header of a page of a list when more may follow (History and lab lists alike). */
export const PAGING_NEXT = {
  'Paging-Next': { description: 'more may follow: send this back as page_key for the next page', schema: { type: 'string' } },
};

/** The answers every route that reads its query string can give. */
export const BAD_REQUEST = { '400': responseRef('BadRequest') };
export const NOT_FOUND = { '404': responseRef('NotFound') };
/** What a route that stores something can answer besides its own (nothing is stored then). */
export const STORAGE = { '503': responseRef('StorageFailed'), '507': responseRef('StorageFull') };
export const TOO_LARGE = { '413': responseRef('TooLarge') };
