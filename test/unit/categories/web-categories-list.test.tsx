// @vitest-environment happy-dom
// The health page's list of the companion's categories: each tag's kind in words, and the
// empty case says how to define some.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act } from 'preact/test-utils';
import { CategoriesList } from '../../../companion/web/Health/CategoriesList';
import { all, mount } from '../ui/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
  vi.unstubAllGlobals();
});

async function show(answer: unknown) {
  vi.stubGlobal('fetch', vi.fn(async () => Response.json(answer)));
  const m = mount(<CategoriesList seq={1} />);
  cleanup = m.unmount;
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
  return m.root;
}

describe('CategoriesList', () => {
  it('lists each category with its tags, their kind and case written out', async () => {
    const root = await show([
      { name: 'Products', tags: ['products', { regex: '/cart$' }] },
      { name: 'Help', tags: [{ text: 'FAQ', caseSensitive: true }] },
    ]);
    expect(all(root, 'tbody th').map((th) => th.textContent)).toEqual(['Products', 'Help']);
    expect(all(root, 'tbody tr').map((tr) => all(tr, 'li').map((li) => li.textContent))).toEqual([
      ['text products', 'regex //cart$/'],
      ['text FAQ (case-sensitive)'],
    ]);
  });

  it('says none are defined, and how to define them', async () => {
    const root = await show([]);
    expect(root.textContent).toMatch(/None defined.*--categories FILE.*PUT \/lab\/categories/);
    expect(root.querySelector('table')).toBeNull();
  });
});
