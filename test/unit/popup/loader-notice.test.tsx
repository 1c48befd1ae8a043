// @vitest-environment happy-dom
// The popup's notice of the site's own GWE loader held back, and the loader patterns form: what
// it says, with the worker's answers stood in for (the real worker is in test/e2e/snippet.test.ts).
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoaderView, WorkerRequest } from '../../../extension/shared/messages';
import { mount, type } from '../ui/render';

const sent: WorkerRequest[] = [];
let answer: (msg: WorkerRequest) => unknown = () => undefined;
vi.mock('wxt/browser', () => ({
  browser: {
    runtime: { sendMessage: async (msg: WorkerRequest) => (sent.push(msg), answer(msg)) },
    tabs: { query: async () => [{ id: 7 }] },
  },
}));
const { LoaderNotice } = await import('../../../extension/popup/Loader/LoaderNotice');

const view = (heldBack: LoaderView['heldBack'], patterns: string[] = []): LoaderView => ({
  tabId: 7,
  heldBack,
  defaults: ['/server/resources/js/build/GPE.min.js', '/server/resources/js/build/GTC.min.js'],
  patterns,
});
const settle = () => act(() => new Promise((r) => setTimeout(r, 0)));

let cleanup: (() => void) | undefined;
beforeEach(() => void sent.splice(0));
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

describe('LoaderNotice', () => {
  it('names the GWE server whose loader was held back, in words and as a status', async () => {
    answer = () => view([
      { url: 'https://gwe.example.com:9443/server/resources/js/build/GPE.min.js', host: 'gwe.example.com:9443' },
      { url: 'https://gwe.example.com:9443/server/resources/js/build/GTC.min.js', host: 'gwe.example.com:9443' },
    ]);
    const m = mount(<LoaderNotice tabId={7} pageKey="p1" />);
    cleanup = m.unmount;
    await settle();
    const notice = m.root.querySelector('#loader-held-back')!;
    expect(notice.getAttribute('role')).toBe('status');
    expect(notice.textContent).toContain("The site's own GWE loader from gwe.example.com:9443 was held back");
    expect([...notice.querySelectorAll('li')].map((li) => li.textContent)).toHaveLength(2);
    expect(sent).toEqual([{ type: 'tab:loaders', tabId: 7 }]);
  });

  it('says nothing held back when nothing was, and asks again for a new page view only', async () => {
    answer = () => view([]);
    const m = mount(<LoaderNotice tabId={7} pageKey="p1" />);
    cleanup = m.unmount;
    await settle();
    expect(m.root.querySelector('#loader-held-back')).toBeNull();
    expect(m.root.querySelector('#loader-settings summary')!.textContent).toBe('GWE loaders held back');
    m.rerender(<LoaderNotice tabId={7} pageKey="p1" />);
    await settle();
    expect(sent).toHaveLength(1);
    m.rerender(<LoaderNotice tabId={7} pageKey="p2" />);
    await settle();
    expect(sent).toHaveLength(2);
  });

  it("saves the user's patterns, one a line, and shows a refusal naming the pattern", async () => {
    answer = (msg) =>
      msg.type === 'tab:loaders'
        ? view([], ['||gwe.test/a.js'])
        : { ok: false, field: 'patterns[1]', error: 'a pattern needs at least 4 characters besides | * ^ ("*")' };
    const m = mount(<LoaderNotice tabId={7} pageKey="p1" />);
    cleanup = m.unmount;
    await settle();
    const area = m.root.querySelector<HTMLTextAreaElement>('#loader-patterns')!;
    expect(area.value).toBe('||gwe.test/a.js');
    expect(area.labels?.[0]?.textContent).toContain('Your own loader patterns');
    type(area as unknown as HTMLInputElement, '||gwe.test/a.js\n\n  *  \n');
    act(() => void m.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true })));
    await settle();
    expect(sent.at(-1)).toEqual({ type: 'loader:setPatterns', patterns: ['||gwe.test/a.js', '*'] });
    const note = m.root.querySelector('#loader-note')!;
    expect(note.getAttribute('role')).toBe('alert');
    expect(note.textContent).toContain('✗ patterns[1]: a pattern needs at least 4 characters');

    answer = () => ({ ok: true, patterns: ['||gwe.test/a.js'] });
    act(() => void m.root.querySelector('form')!.dispatchEvent(new Event('submit', { cancelable: true, bubbles: true })));
    await settle();
    expect(m.root.querySelector('#loader-note')!.textContent).toContain('✓ Saved');
  });
});
