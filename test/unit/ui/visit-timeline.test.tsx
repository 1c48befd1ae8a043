// @vitest-environment happy-dom
// <VisitTimeline>: accessible names of marks, segments, bars and sessions; keyboard navigation
// and selection; zoom and pan; the filter dims; rejected moments flagged and counted.
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatTime } from '../../../ui/timeline/format';
import { VisitTimeline } from '../../../ui/timeline/VisitTimeline';
import { all, click, key, label, mount, type } from './render';
import { moment, shopStory, T0 } from './stories';

const s = (sec: number) => formatTime(T0 + sec * 1000);
let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});
function show(props: Partial<Parameters<typeof VisitTimeline>[0]> = {}) {
  const m = mount(<VisitTimeline story={shopStory()} {...props} />);
  cleanup = m.unmount;
  return m.root;
}
const marks = (root: HTMLElement) => all<HTMLButtonElement>(root, 'button.vl-mark');
const focused = () => document.activeElement as HTMLElement;

describe('accessible names', () => {
  it('names the picture after its visit', () => {
    expect(label(show().querySelector('section'))).toBe('Timeline of visit v1');
  });

  it('every moment is a mark named by event, kind, time, delivery, state and page', () => {
    const root = show();
    expect(marks(root)).toHaveLength(shopStory().moments.length);
    const names = marks(root).map(label);
    expect(names).toContain(`SignIn, system event, ${s(55)}, accepted, state Anonymous to Authenticated, page Sign in`);
    expect(names).toContain(`AddToCart, business event, ${s(70)}, accepted, state Authenticated, page Cart`);
    expect(names).toContain(`ProductViewed, business event, ${s(110)}, queued, state Anonymous, page Products`);
  });

  it('rejected marks say so with the reason, show a "!" and are counted in a named button', () => {
    const root = show();
    const rejected = marks(root).filter((b) => b.classList.contains('vl-rejected'));
    expect(rejected.map(label)).toEqual([
      `SignIn, command without event, ${s(50)}, rejected in the page, reason: SignIn needs data.userId or data.email (a non-empty string), state Anonymous, page Sign in`,
      `Checkout, business event, ${s(80)}, rejected, reason: eventID e1 is used by another event of visit v0, state Authenticated, page Cart`,
    ]);
    expect(rejected.every((b) => b.querySelector('.vl-mark-flag')?.textContent === '!')).toBe(true);
    const count = root.querySelector('.vl-rejected-count')!;
    expect(count.textContent).toBe('! 2 rejected');
    expect(label(count)).toBe('2 rejected: go to the next rejected moment');
  });

  it('marks carry a letter and a shape class for their kind, not only a colour', () => {
    const root = show();
    const byKind = (k: string) => marks(root).filter((b) => b.dataset.kind === k);
    expect(byKind('system').every((b) => b.textContent === 'S' && b.classList.contains('vl-system'))).toBe(true);
    expect(byKind('business').every((b) => b.textContent!.startsWith('B') && b.classList.contains('vl-business'))).toBe(true);
    expect(byKind('command').map((b) => b.textContent)).toEqual(['C!']);
  });

  it('a warning, a duplicate and a state change each have their own sign and words', () => {
    const story = shopStory();
    story.moments[11] = { ...story.moments[11], delivery: { state: 'accepted', warning: 'timestamp is 2 h ahead' } };
    story.moments[4] = { ...story.moments[4], delivery: { state: 'duplicate' } };
    const m = mount(<VisitTimeline story={story} />);
    cleanup = m.unmount;
    const byName = (name: string) => marks(m.root).find((b) => label(b).startsWith(name))!;
    expect(byName('AddToCart').querySelector('.vl-mark-warn')!.textContent).toBe('⚠');
    expect(label(byName('AddToCart'))).toContain('accepted, with a warning');
    expect(byName('ProductViewed').classList.contains('vl-d-duplicate')).toBe(true);
    expect(label(byName('ProductViewed'))).toContain(', duplicate,');
    expect(byName('SignOut').classList.contains('vl-transition')).toBe(true);
    expect(byName('AddToCart').classList.contains('vl-transition')).toBe(false);
  });

  it('the legend says what each sign means, in words', () => {
    const items = all(show(), '.vl-legend li').map((li) => li.textContent!.trim());
    expect(items).toEqual([
      'S system event',
      'B business event',
      'C command, no event',
      'S hollow: queued or sent',
      'S! rejected',
      'S⚠ stored with a warning',
      'S changed the state',
      '+9 several moments (zooms in)',
    ]);
  });

  it('state segments write their state and cause, and are named with times', () => {
    const root = show();
    const segs = all(root, '.vl-seg');
    expect(segs.map(label)).toEqual([
      `Anonymous from ${s(0)} to ${s(55)}, after visit started`,
      `Authenticated (ann@shop.test) from ${s(55)} to ${s(90)}, after SignIn ann@shop.test`,
      `Anonymous from ${s(90)} to ${s(110)}, after SignOut`,
    ]);
    expect(segs[1].textContent).toBe('●Authenticated · SignIn ann@shop.test');
  });

  it('a state that began with the last moment shows, its name short when narrow', () => {
    const story = { visitID: 'v1', moments: [moment('PageEntered', 0, 'p1'), moment('UserInfo', 100, 'p1', { data: { userId: 'u1' } })] };
    const m = mount(<VisitTimeline story={story} />);
    cleanup = m.unmount;
    const last = all(m.root, '.vl-seg').at(-1)!;
    expect(last.textContent).toBe('◐Rec');
    expect(label(last)).toMatch(/^Recognized \(u1\) from .* after UserInfo u1$/);
    expect(parseFloat((last as HTMLElement).style.width)).toBeGreaterThan(4);
  });

  it('page-view bars and sessions are named', () => {
    const root = show();
    expect(all(root, '.vl-bar').map(label)).toEqual([
      `Page view Lab Shop, ${s(0)} to ${s(20)}, 3 moments`,
      `Page view Products, ${s(21)} to ${s(40)}, 3 moments`,
      `Page view Sign in, ${s(41)} to ${s(60)}, 4 moments, 1 rejected`,
      `Page view Cart, ${s(61)} to ${s(95)}, 5 moments, 1 rejected`,
      `Page view Products, ${s(100)} to ${s(110)}, 2 moments, not exited`,
    ]);
    expect(all(root, '.vl-session').map(label)).toEqual([`Session s1 of ann@shop.test, from ${s(55)} to ${s(90)} (35 s)`]);
    expect(label(root.querySelector('.vl-lane [role=group]'))).toBe('Pages');
  });
});

describe('keyboard', () => {
  it('one tab stop for the marks; arrows move through them in time order; Home/End', () => {
    const root = show();
    const stops = marks(root).filter((b) => b.tabIndex === 0);
    expect(stops).toHaveLength(1);
    stops[0].focus();
    expect(focused().dataset.key).toBe(shopStory().moments[0].key);
    key(focused(), 'ArrowRight');
    expect(label(focused())).toMatch(/^PageEntered, system event/);
    expect(marks(root).filter((b) => b.tabIndex === 0)).toEqual([focused()]);
    key(focused(), 'End');
    expect(label(focused())).toMatch(/^ProductViewed.*queued/);
    key(focused(), 'ArrowLeft');
    expect(label(focused())).toBe(`PageEntered, system event, ${s(100)}, accepted, state Anonymous, page Products`);
    key(focused(), 'Home');
    expect(label(focused())).toMatch(/^VisitStarted/);
  });

  it('arrows pressed faster than the picture renders each count', () => {
    const root = show();
    const first = marks(root).find((b) => b.tabIndex === 0)!;
    first.focus();
    act(() => {
      // Both reach the first mark: the render that moves focus has not happened yet.
      for (let i = 0; i < 2; i++) first.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true, cancelable: true }));
    });
    expect(focused().dataset.key).toBe(shopStory().moments[2].key);
  });

  it('Enter and Space select the focused mark (onSelect, aria-pressed)', () => {
    const onSelect = vi.fn();
    const root = show({ onSelect });
    const first = marks(root).find((b) => b.tabIndex === 0)!;
    first.focus();
    key(first, 'ArrowRight');
    key(focused(), 'Enter');
    expect(onSelect).toHaveBeenLastCalledWith(shopStory().moments[1].key, expect.objectContaining({ name: 'PageEntered' }));
    expect(focused().getAttribute('aria-pressed')).toBe('true');
    key(focused(), 'ArrowRight');
    key(focused(), ' ');
    expect(onSelect).toHaveBeenLastCalledWith(shopStory().moments[2].key, expect.objectContaining({ name: 'PageExited' }));
    expect(marks(root).filter((b) => b.getAttribute('aria-pressed') === 'true')).toHaveLength(1);
  });

  it('a window that holds the selection can clear it', () => {
    const key = shopStory().moments[3].key;
    const m = mount(<VisitTimeline story={shopStory()} selectedKey={key} />);
    cleanup = m.unmount;
    expect(m.root.querySelector('.vl-selected')!.getAttribute('data-key')).toBe(key);
    m.rerender(<VisitTimeline story={shopStory()} selectedKey={undefined} />);
    expect(m.root.querySelector('.vl-selected')).toBeNull();
  });

  it('another story is shown whole, even when the last one was zoomed in', () => {
    const m = mount(<VisitTimeline story={shopStory()} />);
    cleanup = m.unmount;
    key(m.root.querySelector('section')!, '+');
    expect(m.root.querySelector('.vl-span')!.textContent).toBe('58 s shown');
    // It spans the view zoomed into: kept, it would show the new visit's middle only.
    const other = { visitID: 'v2', moments: [moment('PageEntered', -10, 'x'), moment('PageExited', 190, 'x')] };
    m.rerender(<VisitTimeline story={other} />);
    expect(m.root.querySelector('.vl-span')!.textContent).toBe('3 min 32 s shown');
  });

  it('a click selects too', () => {
    const onSelect = vi.fn();
    const root = show({ onSelect });
    click(marks(root).find((b) => label(b).startsWith('AddToCart'))!);
    expect(onSelect).toHaveBeenCalledWith(shopStory().moments[11].key, expect.objectContaining({ name: 'AddToCart' }));
  });

  it('the state band is one tab stop; arrows move between segments; Enter selects the cause', () => {
    const onSelect = vi.fn();
    const root = show({ onSelect });
    const segs = all<HTMLButtonElement>(root, '.vl-seg');
    expect(segs.filter((b) => b.tabIndex === 0)).toEqual([segs[0]]);
    segs[0].focus();
    key(segs[0], 'ArrowRight');
    expect(label(focused())).toMatch(/^Authenticated/);
    click(focused());
    expect(onSelect).toHaveBeenCalledWith(shopStory().moments[8].key, expect.objectContaining({ name: 'SignIn' }));
  });

  it('"! 2 rejected" goes to each rejected moment in turn, selecting it', () => {
    const onSelect = vi.fn();
    const root = show({ onSelect });
    const button = root.querySelector<HTMLButtonElement>('.vl-rejected-count')!;
    click(button);
    expect(label(focused())).toMatch(/^SignIn, command without event/);
    click(button);
    expect(label(focused())).toMatch(/^Checkout/);
    expect(onSelect.mock.calls.map((c) => c[1].name)).toEqual(['SignIn', 'Checkout']);
  });
});

describe('zoom and pan', () => {
  const shown = (root: HTMLElement) => root.querySelector('.vl-span')!.textContent;

  it('buttons with names zoom in, out, pan and show the whole visit', () => {
    const root = show();
    const button = (name: string) => root.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`)!;
    expect(shown(root)).toBe('1 min 57 s shown');
    expect(button('Zoom out').disabled).toBe(true);
    click(button('Zoom in'));
    expect(shown(root)).toBe('58 s shown');
    expect(button('Pan left').disabled).toBe(false);
    click(button('Pan left'));
    click(button('Pan left'));
    click(button('Pan left'));
    expect(button('Pan left').disabled).toBe(true);
    // Marks outside the view are not drawn.
    expect(marks(root).some((b) => label(b).startsWith('ProductViewed, business event, ' + s(110)))).toBe(false);
    click(button('Show the whole visit'));
    expect(shown(root)).toBe('1 min 57 s shown');
  });

  it('+ and - zoom, Shift+arrows pan, 0 resets', () => {
    const root = show();
    const section = root.querySelector('section')!;
    key(section, '+');
    key(section, '+');
    expect(shown(root)).toBe('29 s shown');
    const before = root.querySelector<HTMLElement>('.vl-tick')!.textContent;
    key(section, 'ArrowLeft', { shiftKey: true });
    expect(root.querySelector<HTMLElement>('.vl-tick')!.textContent).not.toBe(before);
    key(section, '-');
    expect(shown(root)).toBe('58 s shown');
    key(section, '0');
    expect(shown(root)).toBe('1 min 57 s shown');
  });

  it('the arrow keys pan the view to a mark outside it', () => {
    const root = show();
    const section = root.querySelector('section')!;
    key(section, '+');
    key(section, '+');
    key(section, '+');
    const first = marks(root).find((b) => b.tabIndex === 0)!;
    first.focus();
    key(first, 'End');
    expect(label(focused())).toMatch(/^ProductViewed.*queued/);
    const left = parseFloat((focused() as HTMLElement).style.left);
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBeLessThanOrEqual(100);
  });

  it('the wheel zooms', () => {
    const root = show();
    const plot = root.querySelector('.vl-plot')!;
    plot.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, bubbles: true, cancelable: true }));
    // happy-dom's act-free event: let Preact re-render.
    return new Promise<void>((r) => setTimeout(r, 0)).then(() => expect(shown(root)).toBe('1 min 33 s shown'));
  });
});

describe('filter', () => {
  it('dims what does not match, hides nothing, and says how many match', () => {
    const root = show();
    type(root.querySelector<HTMLInputElement>('input.vl-filter')!, 'sku');
    expect(marks(root)).toHaveLength(shopStory().moments.length);
    const bright = marks(root).filter((b) => !b.classList.contains('vl-dim'));
    expect(bright.map((b) => label(b).split(',')[0])).toEqual(['ProductViewed', 'AddToCart']);
    expect(root.querySelector('.vl-matches')!.textContent).toBe('2 of 17 match');
    // Bars without a match are dimmed, the others not.
    expect(all(root, '.vl-bar').map((b) => b.classList.contains('vl-dim'))).toEqual([true, false, true, false, true]);
  });

  it('takes its text from the filter prop and reports typing through onFilterChange', () => {
    const onFilterChange = vi.fn();
    const root = show({ filter: 'rejected', onFilterChange });
    expect(root.querySelector<HTMLInputElement>('input.vl-filter')!.value).toBe('rejected');
    expect(marks(root).filter((b) => !b.classList.contains('vl-dim'))).toHaveLength(2);
    type(root.querySelector<HTMLInputElement>('input.vl-filter')!, 'signin');
    expect(onFilterChange).toHaveBeenCalledWith('signin');
  });

  it('filterBox={false} leaves the box to the window', () => {
    expect(show({ filterBox: false }).querySelector('input')).toBeNull();
  });
});

describe('compact', () => {
  it('is the same picture without the legend', () => {
    const root = show({ compact: true });
    expect(root.querySelector('section')!.classList.contains('vl-compact')).toBe(true);
    expect(marks(root)).toHaveLength(shopStory().moments.length);
    expect(root.querySelector('.vl-legend')).toBeNull();
  });
});

describe('a long visit', () => {
  it('folds crowds into named clusters (rejected ones stay out); a click on one zooms to it; arrows still reach every mark', () => {
    const moments = Array.from({ length: 2000 }, (_, i) =>
      moment('ProductViewed', i * 0.5, `p${Math.floor(i / 100)}`, i === 700 ? { delivery: { state: 'rejected', reason: 'bad' } } : {}),
    );
    const m = mount(<VisitTimeline story={{ visitID: 'v9', moments }} />);
    cleanup = m.unmount;
    const root = m.root;
    const clusters = all<HTMLButtonElement>(root, 'button.vl-cluster');
    expect(clusters.length).toBeGreaterThan(10);
    expect(marks(root).length + clusters.length).toBeLessThan(200);
    expect(label(clusters[0])).toMatch(/^\d+ moments from \d\d:\d\d:\d\d to \d\d:\d\d:\d\d: \d+ ProductViewed; zoom in to see them$/);
    expect(marks(root).filter((b) => b.classList.contains('vl-rejected'))).toHaveLength(1);
    const total = clusters.reduce((n, c) => n + Number(c.dataset.count), 0) + marks(root).length;
    expect(total).toBe(2000);
    click(clusters[3]);
    expect(root.querySelector('.vl-span')!.textContent).not.toBe('16 min 40 s shown');
    // The keyboard walks every moment, whatever is folded.
    const first = marks(root).find((b) => b.tabIndex === 0) ?? marks(root)[0];
    first.focus();
    key(first, 'Home');
    for (let i = 0; i < 5; i++) key(focused(), 'ArrowRight');
    expect(focused().dataset.key).toBe(moments[5].key);
  });
});
