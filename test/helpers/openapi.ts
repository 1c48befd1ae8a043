// Reading the OpenAPI document in tests: the routes an Express app really has (walked from its
// router stacks, Express 5), the operations the document lists, every $ref, and a documented
// response schema as a zod validator (zod 4's fromJSONSchema: no JSON Schema library needed).
import type { Express } from 'express';
import { z } from 'zod';

/** `METHOD /path/{}/...`: path parameters by position, whatever their names. */
export type RouteKey = string;

const byPosition = (path: string) => path.replace(/:[A-Za-z0-9_]+/g, '{}').replace(/\{[^}]+\}/g, '{}');
const join = (prefix: string, path: string) => (prefix === '/' ? path : `${prefix}${path === '/' ? '' : path}`);

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

function walk(stack: Layer[], prefix: string, out: Set<RouteKey>): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const p of paths) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.add(`${method.toUpperCase()} ${byPosition(join(prefix, p))}`);
        }
      }
    } else if (layer.handle?.stack) {
      // A router mounted with app.use(path, ...): its routes are under the mount path.
      const mount = typeof layer.rawPath === 'string' ? layer.rawPath : '/';
      walk(layer.handle.stack, join(prefix, mount), out);
    }
  }
}

/** Every route of the app (`GET /server/data/visits/{}`), middleware left out. */
export function appRoutes(app: Express): Set<RouteKey> {
  const out = new Set<RouteKey>();
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '/', out);
  return out;
}

export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

export interface DocOperation {
  key: RouteKey;
  path: string;
  method: string;
  op: any;
}

/** Every operation of the document. */
export function documentOperations(doc: any): DocOperation[] {
  const out: DocOperation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) {
      if (item[method]) out.push({ key: `${method.toUpperCase()} ${byPosition(path)}`, path, method, op: item[method] });
    }
  }
  return out;
}

/** What a local $ref (`#/components/schemas/X`) points at, or undefined. */
export function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#/')) return undefined;
  let at: any = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (at === null || typeof at !== 'object' || !Object.prototype.hasOwnProperty.call(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

/** Every `$ref` value in the document, with where it is. */
export function refsOf(value: unknown, where = '#', out: { ref: string; at: string }[] = []): { ref: string; at: string }[] {
  if (Array.isArray(value)) value.forEach((v, i) => refsOf(v, `${where}/${i}`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, at: where });
      else refsOf(v, `${where}/${k}`, out);
    }
  }
  return out;
}

/** A schema of the document as a zod validator, its component $refs resolved. */
export function validator(doc: any, schema: unknown): z.ZodType {
  const rewrite = (v: unknown) => JSON.parse(JSON.stringify(v).replaceAll('"#/components/schemas/', '"#/$defs/'));
  return z.fromJSONSchema({ ...rewrite(schema), $defs: rewrite(doc.components.schemas) } as never);
}

/** The JSON schema an operation documents for a status (its response $ref followed). */
export function responseSchema(doc: any, path: string, method: string, status: number): unknown {
  let response = doc.paths[path]?.[method]?.responses?.[String(status)];
  if (response === undefined) throw new Error(`${method.toUpperCase()} ${path} documents no ${status} answer`);
  if (response.$ref) response = resolvePointer(doc, response.$ref);
  const schema = response?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`${method.toUpperCase()} ${path} ${status} documents no JSON body`);
  return schema;
}

/** Whether `body` is what the document says `METHOD path` answers with `status`; the issues when not. */
export function conforms(doc: any, path: string, method: string, status: number, body: unknown): string {
  const parsed = validator(doc, responseSchema(doc, path, method, status)).safeParse(body);
  return parsed.success ? 'conforms' : `${method.toUpperCase()} ${path} ${status}: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`;
}

/** Whether `body` is what the document says `METHOD path` takes as its JSON request body; the issues when not. */
export function requestConforms(doc: any, path: string, method: string, body: unknown): string {
  const schema = doc.paths[path]?.[method]?.requestBody?.content?.['application/json']?.schema;
  if (schema === undefined) throw new Error(`${method.toUpperCase()} ${path} documents no JSON request body`);
  const parsed = validator(doc, schema).safeParse(body);
  return parsed.success ? 'conforms' : `${method.toUpperCase()} ${path} body: ${JSON.stringify(parsed.error.issues.slice(0, 3))}`;
}
