import { describe, expect, it } from 'vitest';
import { jsonErrorOffset } from '../../../companion/categories/json-place';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('where a JSON text goes wrong', () => {
  it.each([
    ['[1,2]', null],
    ['{"a":[1,{"b":null}],"c":-1.5e3,"d":"\\u00e9\\n"}', null],
    ['[{"name": "Products",\n  "tags": ["products",]}]', 44],
    ['{"a":1,}', 7],
    ['[1 2]', 3],
    ['"abc', 4],
    ['[tru]', 4],
    ['{"a" 1}', 5],
    ['[1]x', 3],
    ['["\\q"]', 3],
    ['', 0],
  ])('%j', (text, offset) => {
    expect(jsonErrorOffset(text)).toBe(offset);
    // It agrees with JSON.parse on whether the text is JSON at all.
    expect(offset === null).toBe(parses(text));
  });
});
