// Rendering Preact components into happy-dom for the timeline's component tests, and the few
// DOM helpers they share (keys, clicks, typing, accessible names).
import { render, type VNode } from 'preact';
import { act } from 'preact/test-utils';

export function mount(vnode: VNode): { root: HTMLElement; rerender: (v: VNode) => void; unmount: () => void } {
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(vnode, root));
  return {
    root,
    rerender: (v) => act(() => render(v, root)),
    unmount: () => {
      act(() => render(null, root));
      root.remove();
    },
  };
}

export function key(el: Element, k: string, opts: KeyboardEventInit = {}): void {
  act(() => {
    el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, ...opts }));
  });
}

export function click(el: Element): void {
  act(() => (el as HTMLElement).click());
}

export function type(input: HTMLInputElement, text: string): void {
  act(() => {
    input.value = text;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

export const label = (el: Element | null | undefined) => el?.getAttribute('aria-label') ?? '';

export function all<T extends Element = HTMLElement>(root: ParentNode, selector: string): T[] {
  return [...root.querySelectorAll<T>(selector)];
}
