import { describe, expect, it } from 'vitest';
import { CATEGORY_LIMITS, parseCategories } from '../../../companion/categories/definitions';

const problem = (input: unknown) => {
  const r = parseCategories(input);
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
};

describe('category definitions', () => {
  it('takes the documented shape: plain-text strings, {text}, {regex}, caseSensitive', () => {
    const r = parseCategories([
      { name: 'Products', tags: ['products', { regex: '/cart$' }] },
      { name: 'Help', tags: [{ text: 'FAQ', caseSensitive: true }, { regex: 'support', caseSensitive: false }] },
    ]);
    expect(r).toEqual({
      ok: true,
      categories: [
        { name: 'Products', tags: ['products', { regex: '/cart$' }] },
        // caseSensitive: false is the default, so it is not kept.
        { name: 'Help', tags: [{ text: 'FAQ', caseSensitive: true }, { regex: 'support' }] },
      ],
    });
  });

  it('takes one category object as a list of one', () => {
    expect(parseCategories({ name: 'A', tags: ['a'] })).toEqual({ ok: true, categories: [{ name: 'A', tags: ['a'] }] });
  });

  it('names the field of each mistake', () => {
    expect(problem([{ name: 'A', tags: ['a'] }, { tags: ['b'] }])).toEqual({ field: '[1].name', reason: 'must be a string' });
    expect(problem([{ name: 'A', tags: ['a', { regex: '(' }] }]).field).toBe('[0].tags[1].regex');
    expect(problem([{ name: 'A', tags: ['a', { regex: '(' }] }]).reason).toMatch(/not a regular expression/);
    // One that could backtrack for ever on some url is refused before intake ever runs it.
    expect(problem([{ name: 'A', tags: [{ regex: '^/p/(a+)+$' }] }])).toMatchObject({ field: '[0].tags[0].regex', reason: expect.stringMatching(/exponential time/) });
    expect(problem([{ name: 'A', tags: [''] }])).toEqual({ field: '[0].tags[0]', reason: 'must not be empty' });
    expect(problem([{ name: 'A', tags: [] }]).field).toBe('[0].tags');
    expect(problem([{ name: 'A', tags: 'a' }]).field).toBe('[0].tags');
    expect(problem([{ name: 'A', tags: [42] }]).field).toBe('[0].tags[0]');
    expect(problem([{ name: 'A', tags: [{ text: 'a', regex: 'b' }] }]).reason).toMatch(/exactly one of/);
    expect(problem([{ name: 'A', tags: [{}] }]).field).toBe('[0].tags[0]');
    expect(problem([{ name: 'A', tags: [{ text: 'a', caseSensitive: 'yes' }] }]).field).toBe('[0].tags[0].caseSensitive');
    expect(problem([{ name: 'A', tags: [{ text: 'a', flags: 'i' }] }]).field).toBe('[0].tags[0].flags');
    expect(problem([{ name: 'A', tags: ['a'], color: 'red' }]).field).toBe('[0].color');
    expect(problem(['A']).field).toBe('[0]');
    expect(problem(null).field).toBe('body');
  });

  it('refuses names the stored category and the filters could not tell apart', () => {
    expect(problem([{ name: 'a;b', tags: ['a'] }]).reason).toMatch(/";"/);
    expect(problem([{ name: ' A', tags: ['a'] }]).field).toBe('[0].name');
    expect(problem([{ name: 'All Categories', tags: ['a'] }]).reason).toMatch(/any category/);
    expect(problem([{ name: 'A', tags: ['a'] }, { name: 'A', tags: ['b'] }])).toEqual({ field: '[1].name', reason: '"A" is defined twice' });
  });

  it('bounds the sizes', () => {
    expect(problem([{ name: 'A', tags: ['x'.repeat(CATEGORY_LIMITS.text + 1)] }]).field).toBe('[0].tags[0]');
    expect(problem([{ name: 'A', tags: Array(CATEGORY_LIMITS.tags + 1).fill('a') }]).field).toBe('[0].tags');
    const many = Array.from({ length: CATEGORY_LIMITS.categories + 1 }, (_, i) => ({ name: `c${i}`, tags: ['a'] }));
    expect(problem(many).field).toBe('body');
  });

  it('an empty list is no categories', () => {
    expect(parseCategories([])).toEqual({ ok: true, categories: [] });
  });
});
