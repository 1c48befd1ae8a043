// The History API's response-size bound. Answers are written as JSON text piece by piece,
// each piece charged to a budget as it is made, so an answer that would pass the bound stops
// as soon as it does: the work (and the time the event loop is held) is at most the bound,
// never the size of what was asked for. The client gets a 400 that says how to narrow.

/**
 * 8 Mi characters of JSON (bytes, for ASCII text): 8,000 events of 1 KB in one answer, well past
 * ordinary pages, while writing it holds the event loop some 40 ms (150 on a busy 2-core machine).
 */
export const DEFAULT_MAX_RESPONSE_CHARS = 8 * 1024 * 1024;
export const MAX_RESPONSE_ENV = 'VISITOR_LAB_HISTORY_MAX_RESPONSE';
const SMALLEST_BOUND = 1024;

/** The bound: the environment variable when set (tests set it low), else the default. */
export function maxResponseChars(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_RESPONSE_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MAX_RESPONSE_CHARS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < SMALLEST_BOUND) {
    throw new Error(`${MAX_RESPONSE_ENV}=${raw}: must be a whole number of characters, ${SMALLEST_BOUND} or more`);
  }
  return n;
}

/** The fewest characters an id in an id list takes (`"x"`), and a resource (its field names alone take more). */
export const MIN_ID_CHARS = 3;
export const MIN_RESOURCE_CHARS = 100;

/** JSON text already written (and charged). */
export class Json {
  constructor(readonly text: string) {}
}

/** Thrown when the bound is passed; `flags` are the include flags whose lists were being written, outermost first. */
export class Overflow extends Error {
  constructor(readonly flags: readonly string[]) {
    super('History response bound passed');
  }
}

export class Budget {
  private used = 0;
  private readonly writing: string[] = [];

  constructor(readonly max: number) {}

  private charge(chars: number): void {
    this.used += chars;
    if (this.used > this.max) throw new Overflow([...this.writing]);
  }

  /** A plain value's JSON text, charged. */
  json(value: unknown): Json {
    const text = JSON.stringify(value) ?? 'null';
    this.charge(text.length);
    return new Json(text);
  }

  /**
   * A JSON array of `items`, each written (and charged) by `write` when it is reached: a list
   * that passes the bound is never walked to its end. `flag` is the include flag that asked for
   * it. `minEach`, the fewest characters one item can take, lets a list that cannot fit (100,000
   * events embedded in a visit) be refused before any of it is written.
   */
  list<T>(flag: string | null, items: Iterable<T>, write: (item: T) => Json, minEach = 0): Json {
    if (flag !== null) this.writing.push(flag);
    try {
      const parts: string[] = [];
      if (Array.isArray(items) && this.used + 1 + items.length * (minEach + 1) > this.max) throw new Overflow([...this.writing]);
      this.charge(2);
      for (const item of items) {
        if (parts.length > 0) this.charge(1);
        parts.push(write(item).text);
      }
      return new Json(`[${parts.join(',')}]`);
    } finally {
      if (flag !== null) this.writing.pop();
    }
  }

  /**
   * A JSON array of strings (an id list), written a chunk at a time: one JSON.stringify per
   * 1,024 ids rather than per id (a visit's 100,000 event ids took 60 ms one by one).
   */
  strings(flag: string | null, items: Iterable<string>): Json {
    if (flag !== null) this.writing.push(flag);
    try {
      if (Array.isArray(items) && this.used + 1 + items.length * (MIN_ID_CHARS + 1) > this.max) throw new Overflow([...this.writing]);
      const parts: string[] = [];
      this.charge(2);
      let chunk: string[] = [];
      const flush = () => {
        const text = JSON.stringify(chunk);
        // The chunk's own brackets stand for the comma before it (or are not charged).
        this.charge(text.length - (parts.length > 0 ? 1 : 2));
        parts.push(text.slice(1, -1));
        chunk = [];
      };
      for (const item of items) {
        chunk.push(item);
        if (chunk.length === 1024) flush();
      }
      if (chunk.length > 0) flush();
      return new Json(`[${parts.join(',')}]`);
    } finally {
      if (flag !== null) this.writing.pop();
    }
  }

  /**
   * A JSON object, keys in the order given (as JSON.stringify would write them). Its type
   * parameter is the resource it writes, so the fields are checked against the resource type.
   */
  object<R>(fields: { [K in keyof R]: R[K] | Json }): Json {
    const parts: string[] = [];
    this.charge(2);
    for (const [key, value] of Object.entries(fields)) {
      if (value === undefined) continue;
      const text = value instanceof Json ? value.text : this.json(value).text;
      const keyText = JSON.stringify(key);
      this.charge(keyText.length + (parts.length > 0 ? 2 : 1));
      parts.push(`${keyText}:${text}`);
    }
    return new Json(`{${parts.join(',')}}`);
  }
}
