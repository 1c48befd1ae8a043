// Paging: `page_size=N` cuts a collection; the `Paging-Next` header carries the key of the
// next page, sent back as `page_key`. The key names the last item given (its position and
// id), so it stays right while new items are appended.
import { badRequest } from '../errors';

export interface PageOf<T> {
  items: T[];
  next: string | null;
}

function encode(index: number, id: string): string {
  return Buffer.from(`${index}:${id}`, 'utf8').toString('base64url');
}

function startAfter<T>(items: T[], idOf: (item: T) => string, key: string): number {
  const decoded = /^[A-Za-z0-9_-]+$/.test(key) ? Buffer.from(key, 'base64url').toString('utf8') : '';
  const m = /^(\d+):([\s\S]+)$/.exec(decoded);
  if (!m) throw badRequest('page_key', 'is not a key this API gave (take it from the Paging-Next header)');
  const index = Number(m[1]);
  const id = m[2];
  if (index < items.length && idOf(items[index]) === id) return index + 1;
  const found = items.findIndex((item) => idOf(item) === id);
  if (found < 0) throw badRequest('page_key', 'points at an item that is no longer in this collection');
  return found + 1;
}

export function paginate<T>(
  items: T[],
  idOf: (item: T) => string,
  pageSize: number | undefined,
  pageKey: string | undefined,
): PageOf<T> {
  const from = pageKey === undefined ? 0 : startAfter(items, idOf, pageKey);
  if (pageSize === undefined) return { items: items.slice(from), next: null };
  const slice = items.slice(from, from + pageSize);
  const lastIndex = from + slice.length - 1;
  const next = from + pageSize < items.length ? encode(lastIndex, idOf(items[lastIndex])) : null;
  return { items: slice, next };
}
