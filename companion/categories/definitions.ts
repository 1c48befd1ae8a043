// GWE's Simple Engagement Model: a category is a name with tags, each tag a plain-text
// expression or a regular expression searched in an event's URL and its page's title.
// This file is the shape of a definition and its validation (the --categories file and
// /lab/categories take the same JSON).
import { userRegexProblem } from '../../protocol/user-regex';

/** A tag: plain text as a string, or an object naming `text` or `regex`. */
export type CategoryTag = string | { text: string; caseSensitive?: boolean } | { regex: string; caseSensitive?: boolean };

export interface Category {
  name: string;
  tags: CategoryTag[];
}

/** The History API's `category` value that matches any categorised item (GWE's own words). */
export const ALL_CATEGORIES = 'all categories';

export const CATEGORY_LIMITS = { categories: 500, tags: 200, text: 1000 };

export interface CategoryProblem {
  field: string;
  reason: string;
}

export type CategoriesCheck = { ok: true; categories: Category[] } | { ok: false; problem: CategoryProblem };

class Refused extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field}: ${reason}`);
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new Refused(field, 'must be a string');
  // An empty expression would be found in every URL: a category on everything is a mistake.
  if (value.length === 0) throw new Refused(field, 'must not be empty');
  if (value.length > CATEGORY_LIMITS.text) throw new Refused(field, `must be at most ${CATEGORY_LIMITS.text} characters`);
  return value;
}

function tagOf(value: unknown, field: string): CategoryTag {
  if (typeof value === 'string') return text(value, field);
  if (!isObject(value)) throw new Refused(field, 'must be a string (plain text) or an object with "text" or "regex"');
  const keys = Object.keys(value);
  const unknown = keys.find((k) => k !== 'text' && k !== 'regex' && k !== 'caseSensitive');
  if (unknown !== undefined) throw new Refused(`${field}.${unknown}`, 'is not a tag field (text, regex, caseSensitive)');
  if (('text' in value) === ('regex' in value)) throw new Refused(field, 'needs exactly one of "text" and "regex"');
  const caseSensitive = value.caseSensitive;
  if (caseSensitive !== undefined && typeof caseSensitive !== 'boolean') throw new Refused(`${field}.caseSensitive`, 'must be true or false');
  const cs = caseSensitive ? { caseSensitive: true } : {};
  if ('text' in value) return { text: text(value.text, `${field}.text`), ...cs };
  const source = text(value.regex, `${field}.regex`);
  // Tags run on every event at intake.
  const problem = userRegexProblem(source);
  if (problem) throw new Refused(`${field}.regex`, problem);
  return { regex: source, ...cs };
}

function categoryOf(value: unknown, field: string): Category {
  if (!isObject(value)) throw new Refused(field, 'must be an object {"name", "tags"}');
  const unknown = Object.keys(value).find((k) => k !== 'name' && k !== 'tags');
  if (unknown !== undefined) throw new Refused(`${field}.${unknown}`, 'is not a category field (name, tags)');
  const name = text(value.name, `${field}.name`);
  // Stored events hold the names joined by semicolons, and filters trim what they split.
  if (name.includes(';')) throw new Refused(`${field}.name`, 'must not contain ";" (it separates the names in an event\'s category)');
  if (name.trim() !== name) throw new Refused(`${field}.name`, 'must not start or end with spaces');
  if (name.toLowerCase() === ALL_CATEGORIES) throw new Refused(`${field}.name`, `"${ALL_CATEGORIES}" is the History API's word for any category`);
  const tags = value.tags;
  if (!Array.isArray(tags)) throw new Refused(`${field}.tags`, 'must be an array of tags');
  if (tags.length === 0) throw new Refused(`${field}.tags`, 'must hold at least one tag');
  if (tags.length > CATEGORY_LIMITS.tags) throw new Refused(`${field}.tags`, `must hold at most ${CATEGORY_LIMITS.tags} tags`);
  return { name, tags: tags.map((t, i) => tagOf(t, `${field}.tags[${i}]`)) };
}

/** The definitions as a list: an array of categories (one object is taken as one category). */
export function parseCategories(input: unknown): CategoriesCheck {
  try {
    const list = Array.isArray(input) ? input : [input];
    const at = (i: number) => (Array.isArray(input) ? `[${i}]` : 'body');
    if (list.length > CATEGORY_LIMITS.categories) throw new Refused('body', `must hold at most ${CATEGORY_LIMITS.categories} categories`);
    const categories = list.map((c, i) => categoryOf(c, at(i)));
    const seen = new Set<string>();
    categories.forEach((c, i) => {
      if (seen.has(c.name)) throw new Refused(`${at(i)}.name`, `"${c.name}" is defined twice`);
      seen.add(c.name);
    });
    return { ok: true, categories };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, problem: { field: e.field, reason: e.reason } };
    throw e;
  }
}
