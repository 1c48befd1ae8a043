// Paging: `page_size=N` cuts a collection (DEFAULT_PAGE_SIZE when not given); the
// `Paging-Next` header carries the key of the next page, sent back as `page_key`. The key names
// the last item given (its position in the stored id lists and its id), so it stays right while
// new items are appended.
//
// A page is read lazily: the stored id lists are walked from the key's position and the walk
// stops once the page is full and one more match is seen (to know whether a next page exists).
// So a page costs its own size plus what the filters skip, never the whole collection.
import { badRequest } from '../errors';

/** A position in the stored lists: [index] in one list, [outer, inner] in a list of lists. */
export type Pos = readonly number[];

export interface Located<T> {
  pos: Pos;
  item: T;
}

/** An ordered collection read in place from the state's id lists. */
export interface Source<T> {
  /** How many numbers a position has. */
  readonly depth: number;
  /** The item at `pos`, or undefined when there is none. */
  at(pos: Pos): T | undefined;
  /** The items after `after` (from the first when null), in order, each with its position. */
  walk(after: Pos | null): Iterable<Located<T>>;
}

export interface PageOf<T> {
  items: T[];
  next: string | null;
}

/** One list: `get` turns each stored entry (usually an id) into the item. */
export function arraySource<A, T>(list: readonly A[], get: (a: A) => T): Source<T> {
  return {
    depth: 1,
    at: (pos) => (pos.length === 1 && pos[0] < list.length ? get(list[pos[0]]) : undefined),
    *walk(after) {
      for (let i = after === null ? 0 : after[0] + 1; i < list.length; i++) yield { pos: [i], item: get(list[i]) };
    },
  };
}

/** A list of lists read as one (an identity's visits' pages or events), outer order first. */
export function nestedSource<O, A, T>(outer: readonly O[], inner: (o: O) => readonly A[], get: (a: A) => T): Source<T> {
  return {
    depth: 2,
    at(pos) {
      if (pos.length !== 2 || pos[0] >= outer.length) return undefined;
      const list = inner(outer[pos[0]]);
      return pos[1] < list.length ? get(list[pos[1]]) : undefined;
    },
    *walk(after) {
      for (let i = after === null ? 0 : after[0]; i < outer.length; i++) {
        const list = inner(outer[i]);
        for (let j = after !== null && i === after[0] ? after[1] + 1 : 0; j < list.length; j++) yield { pos: [i, j], item: get(list[j]) };
      }
    },
  };
}

/**
 * The index a one-list key names (where a page after it starts reading), or null when the key
 * is not one: pageOf then answers it with the 400.
 */
export function keyIndex(key: string): number | null {
  const decoded = /^[A-Za-z0-9_-]+$/.test(key) ? Buffer.from(key, 'base64url').toString('utf8') : '';
  const m = /^(\d+):/.exec(decoded);
  const index = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(index) ? index : null;
}

/**
 * A stretch of a collection the store read (LabStore.window), at the store's positions; `get`
 * turns an id into the item (undefined: gone since, skipped).
 */
export function windowSource<T>(entries: readonly { pos: number; id: string }[], get: (id: string) => T | undefined): Source<T> {
  const index = new Map(entries.map((e, i) => [e.pos, i]));
  return {
    depth: 1,
    at(pos) {
      const i = pos.length === 1 ? index.get(pos[0]) : undefined;
      return i === undefined ? undefined : get(entries[i].id);
    },
    *walk(after) {
      for (const e of entries) {
        if (after !== null && e.pos <= after[0]) continue;
        const item = get(e.id);
        if (item !== undefined) yield { pos: [e.pos], item };
      }
    },
  };
}

function encode(pos: Pos, id: string): string {
  return Buffer.from(`${pos.join('.')}:${id}`, 'utf8').toString('base64url');
}

/**
 * Where the key's item is. The stored lists are only ever appended to (engine/state.ts), so
 * the item is at the position the key recorded, or the key is not one of this collection (or
 * the data was reset since): a 400, found in constant time, whatever a client sends.
 */
function keyPosition<T>(source: Source<T>, idOf: (item: T) => string, key: string): Pos {
  const decoded = /^[A-Za-z0-9_-]+$/.test(key) ? Buffer.from(key, 'base64url').toString('utf8') : '';
  const m = /^(\d+(?:\.\d+)*):([\s\S]+)$/.exec(decoded);
  if (!m) throw badRequest('page_key', 'is not a key this API gave (take it from the Paging-Next header)');
  const pos = m[1].split('.').map(Number);
  if (pos.length === source.depth && pos.every(Number.isSafeInteger)) {
    const item = source.at(pos);
    if (item !== undefined && idOf(item) === m[2]) return pos;
  }
  throw badRequest('page_key', 'points at no item of this collection (a key of another request, or the data was reset since)');
}

/**
 * The most items one page looks at. A filter that matches little in a collection of a million
 * would otherwise hold the server for seconds: past this, the page ends where the walk stopped,
 * with what it found so far (perhaps nothing) and a Paging-Next key to go on from there.
 */
export const SCAN_LIMIT = 20_000;

/**
 * The page of `size` items that `keep` accepts, after the key's item (from the first without a
 * key). `next` is null when the collection has no more; a page cut short by SCAN_LIMIT has a
 * `next` however few items it holds.
 */
export function pageOf<T>(
  source: Source<T>,
  keep: (item: T) => boolean,
  idOf: (item: T) => string,
  size: number,
  key: string | undefined,
  scanLimit = SCAN_LIMIT,
): PageOf<T> {
  const after = key === undefined ? null : keyPosition(source, idOf, key);
  const items: T[] = [];
  let last: Pos | null = null;
  let scanned = 0;
  let passed: Located<T> | null = null;
  for (const located of source.walk(after)) {
    if (++scanned > scanLimit) {
      // Any item can carry a key: the one looked at last before stopping.
      return { items, next: passed && encode(passed.pos, idOf(passed.item)) };
    }
    passed = located;
    if (!keep(located.item)) continue;
    if (items.length === size) return { items, next: encode(last!, idOf(items[items.length - 1])) };
    items.push(located.item);
    last = located.pos;
  }
  return { items, next: null };
}
