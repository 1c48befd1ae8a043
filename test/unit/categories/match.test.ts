import { describe, expect, it } from 'vitest';
import { compileCategories, mergeCategory } from '../../../companion/categories/match';

describe('matching categories', () => {
  const match = compileCategories([
    { name: 'Products', tags: ['products', { regex: '/cart$' }] },
    { name: 'Help', tags: [{ text: 'FAQ', caseSensitive: true }] },
    { name: 'Deals', tags: [{ regex: '^Sale', caseSensitive: true }] },
  ]);

  it('finds a plain-text tag anywhere in the URL, whatever its case', () => {
    expect(match('http://shop.test/Products/42', null)).toEqual(['Products']);
    expect(match('http://shop.test/', null)).toEqual([]);
  });

  it('searches a regular expression in the URL (not anchored unless it says so)', () => {
    expect(match('http://shop.test/cart', null)).toEqual(['Products']);
    expect(match('http://shop.test/cart?step=2', null)).toEqual([]);
  });

  it('searches the page title too, and a category matches once however many tags do', () => {
    expect(match('http://shop.test/', 'Our products and the cart')).toEqual(['Products']);
    expect(match('http://shop.test/products/cart', 'products')).toEqual(['Products']);
  });

  it('honours caseSensitive on text and regex tags', () => {
    expect(match('http://shop.test/FAQ', null)).toEqual(['Help']);
    expect(match('http://shop.test/faq', null)).toEqual([]);
    expect(match('http://shop.test/', 'Sale of the week')).toEqual(['Deals']);
    expect(match('http://shop.test/', 'sale of the week')).toEqual([]);
  });

  it('gives every matching category, in the order they are defined', () => {
    expect(match('http://shop.test/products/FAQ', 'Sale')).toEqual(['Products', 'Help', 'Deals']);
  });

  it('nothing to search in matches nothing', () => {
    expect(match(undefined, undefined)).toEqual([]);
    expect(match('', '')).toEqual([]);
  });
});

describe('merging with the category an event came with', () => {
  it('keeps the event\'s own names first and adds each match once', () => {
    expect(mergeCategory('cart', ['Products'])).toBe('cart;Products');
    expect(mergeCategory('Products; cart', ['Products', 'Help'])).toBe('Products;cart;Help');
  });
  it('leaves the event as it came when nothing matches', () => {
    expect(mergeCategory(undefined, [])).toBeUndefined();
    expect(mergeCategory('', [])).toBe('');
    expect(mergeCategory('', ['A'])).toBe('A');
    expect(mergeCategory(undefined, ['A', 'B'])).toBe('A;B');
  });
});
