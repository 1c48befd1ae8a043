// Sending History answers: a page of a collection or one resource, written within the response
// budget; past it, a 400 that says how to narrow the request instead.
import type { Response } from 'express';
import { responseTooLarge, type HttpError } from '../errors';
import { Overflow, type Json } from './budget';
import { pageOf, type Source } from './paging';
import { DEFAULT_PAGE_SIZE } from './query';
import type { ViewContext } from './views';

/** Where a resource's `kind` list ('events', 'pages', 'visits') can be read with paging. */
export type ListPath = (kind: string) => string;

const kindOf = (flag: string) => flag.replace(/^include_/, '').replace(/_detail$/, '');

/**
 * The 400 for an answer past the bound. `fitted` is how many items of a page were written
 * before it (null for a single resource): page_size is the parameter to change when some fit,
 * else the innermost include flag whose list passed it.
 */
export function tooLarge(o: Overflow, max: number, fitted: number | null, listPath: ListPath): HttpError {
  const bound = `the History API's response bound (${max} characters)`;
  const innermost = o.flags.at(-1);
  const narrow =
    innermost === undefined
      ? ''
      : `drop ${o.flags.join(' and ')} and read the ${kindOf(innermost)} page by page from GET ${listPath(kindOf(innermost))} with page_size and its Paging-Next header`;
  if (fitted !== null && fitted > 0) {
    return responseTooLarge('page_size', `this page would pass ${bound}; the first ${fitted} items fit: ask for page_size=${fitted} or less${narrow ? `, or ${narrow}` : ''}`);
  }
  if (innermost !== undefined) return responseTooLarge(innermost, `the answer would pass ${bound}: ${narrow}`);
  return responseTooLarge(undefined, `one item alone would pass ${bound}`);
}

function sendJson(res: Response, body: Json): void {
  res.type('application/json').send(body.text);
}

function written(ctx: ViewContext, fitted: () => number | null, listPath: ListPath, write: () => Json): Json {
  try {
    return write();
  } catch (e) {
    if (e instanceof Overflow) throw tooLarge(e, ctx.budget.max, fitted(), listPath);
    throw e;
  }
}

/**
 * Sends one page of a collection: 204 when nothing matches, else the items (none, when the
 * page's scan stopped before a match) with Paging-Next when more may follow.
 */
export function sendCollection<T>(
  res: Response,
  ctx: ViewContext,
  source: Source<T>,
  keep: (item: T) => boolean,
  idOf: (item: T) => string,
  write: (item: T) => Json,
  listPath: ListPath,
  scanLimit?: number,
): void {
  const size = (ctx.q.page_size as number | undefined) ?? DEFAULT_PAGE_SIZE;
  const page = pageOf(source, keep, idOf, size, ctx.q.page_key as string | undefined, scanLimit);
  if (page.items.length === 0 && !page.next) {
    res.status(204).end();
    return;
  }
  let fitted = 0;
  const body = written(ctx, () => fitted, listPath, () =>
    ctx.budget.list(null, page.items, (item) => {
      const text = write(item);
      fitted++;
      return text;
    }),
  );
  if (page.next) res.setHeader('Paging-Next', page.next);
  sendJson(res, body);
}

/** Sends one resource (`asArray`: as a one-element array, as GWE answers an identity). */
export function sendOne(res: Response, ctx: ViewContext, write: () => Json, listPath: ListPath, asArray = false): void {
  const body = written(ctx, () => null, listPath, () => (asArray ? ctx.budget.list(null, [0], write) : write()));
  sendJson(res, body);
}
