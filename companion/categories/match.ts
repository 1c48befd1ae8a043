// Matching an event against the categories: each tag is searched in the event's URL and in
// its page's title; a category matches when any of its tags is found in either.
import type { Category, CategoryTag } from './definitions';

type Test = (value: string) => boolean;

/** Case-insensitive unless the tag says `caseSensitive: true` (see docs/api.md, Categories). */
function testOf(tag: CategoryTag): Test {
  if (typeof tag === 'string' || 'text' in tag) {
    const wanted = typeof tag === 'string' ? tag : tag.text;
    if (typeof tag !== 'string' && tag.caseSensitive) return (v) => v.includes(wanted);
    const lower = wanted.toLowerCase();
    return (v) => v.toLowerCase().includes(lower);
  }
  // Searched, not anchored, as a plain-text tag is: `^` and `$` anchor where the author wants.
  const re = new RegExp(tag.regex, tag.caseSensitive ? '' : 'i');
  return (v) => re.test(v);
}

export type CategoryMatcher = (url: string | null | undefined, title: string | null | undefined) => string[];

export function compileCategories(categories: readonly Category[]): CategoryMatcher {
  const compiled = categories.map((c) => ({ name: c.name, tests: c.tags.map(testOf) }));
  return (url, title) => {
    const values = [url, title].filter((v): v is string => typeof v === 'string' && v !== '');
    if (values.length === 0) return [];
    return compiled.filter((c) => c.tests.some((t) => values.some(t))).map((c) => c.name);
  };
}

/**
 * The event's category with the matching names added: the names the event came with stay
 * first (a site's own business event may name one), then each match not already there.
 */
export function mergeCategory(own: string | undefined, matched: readonly string[]): string | undefined {
  if (matched.length === 0) return own;
  const names = (own ?? '').split(';').map((n) => n.trim()).filter((n) => n !== '');
  for (const name of matched) if (!names.includes(name)) names.push(name);
  return names.join(';');
}
