// @vitest-environment happy-dom
// <MomentInspector> shows everything about a moment; <IdentityTimeline> draws an identity's
// visits on one axis, one named, keyboard-reachable state band each.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { formatDateTime, formatTimeMs } from '../../../ui/timeline/format';
import { IdentityTimeline } from '../../../ui/timeline/IdentityTimeline';
import { MomentInspector } from '../../../ui/timeline/MomentInspector';
import type { Story } from '../../../ui/timeline/story';
import { all, click, key, label, mount } from './render';
import { moment, rejectedPush, shopStory, T0 } from './stories';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});
function show(vnode: preact.VNode) {
  const m = mount(vnode);
  cleanup = m.unmount;
  return m.root;
}
const fields = (root: HTMLElement) =>
  Object.fromEntries(all(root, '.vl-fields dt').map((dt) => [dt.textContent, (dt.nextElementSibling as HTMLElement).textContent]));

describe('MomentInspector', () => {
  it('without a moment, says how to pick one', () => {
    expect(show(<MomentInspector />).textContent).toMatch(/Select a mark/);
  });

  it('shows the command as pushed, its form, the event JSON, delivery and the state before and after', () => {
    const signIn = moment('SignIn', 55, 'login', { title: 'Sign in', data: { email: 'ann@shop.test' }, sessionID: 's1', delivery: { state: 'accepted', by: 'companion', warning: 'timestamp is 2 h ahead' } });
    const root = show(<MomentInspector moment={signIn} before="Anonymous" after="Authenticated" />);
    expect(label(root.querySelector('section'))).toBe('Moment details: SignIn');
    expect(fields(root)).toEqual({
      Time: formatTimeMs(T0 + 55_000),
      State: '○ Anonymous → to  ● Authenticated',
      Delivery: 'accepted (by companion)',
      Warning: '⚠ timestamp is 2 h ahead',
      Page: 'Sign in (pageID login)',
      URL: 'http://127.0.0.1:8080/login',
      Session: 's1',
    });
    expect(JSON.parse(root.querySelector('[aria-label="Command as pushed"]')!.textContent!)).toEqual(['event', 'SignIn', { data: { email: 'ann@shop.test' } }]);
    expect(root.textContent).toContain("form 8.5 ['event', name, {data}]");
    expect(JSON.parse(root.querySelector('[aria-label="Event JSON"]')!.textContent!)).toEqual(signIn.event);
    expect(JSON.parse(root.querySelector('[aria-label="Delivery JSON"]')!.textContent!)).toEqual(signIn.delivery);
    expect(root.querySelector('[role=alert]')).toBeNull();
  });

  it('a rejected event: an alert with who rejected it, the field and the reason', () => {
    const m = moment('Checkout', 80, 'cart', { delivery: { state: 'rejected', by: 'companion', field: 'eventID', reason: 'eventID e1 is used by another event' } });
    const root = show(<MomentInspector moment={m} before="Authenticated" after="Authenticated" />);
    expect(root.querySelector('[role=alert]')!.textContent).toBe('! Rejected by companion, field eventID: eventID e1 is used by another event');
    expect(root.querySelector('section')!.classList.contains('vl-inspector-rejected')).toBe(true);
  });

  it('a push rejected in the page: no event, the reason from the command', () => {
    const root = show(<MomentInspector moment={rejectedPush(50, 'login', 'SignIn needs data.userId or data.email')} before="Anonymous" after="Anonymous" />);
    expect(root.querySelector('[role=alert]')!.textContent).toBe('! Rejected in the page (no event was made): SignIn needs data.userId or data.email');
    expect(root.querySelector('[aria-label="Event JSON"]')).toBeNull();
    expect(fields(root).Delivery).toBe('rejected in the page');
    expect(root.querySelector('h3')!.textContent).toContain('(command without event)');
  });
});

describe('IdentityTimeline', () => {
  const day = 86400e3;
  const shift = (story: Story, visitID: string, by: number): Story => ({ visitID, moments: story.moments.map((m) => ({ ...m, key: `${visitID}:${m.key}`, at: m.at + by })) });
  const later = shift({ visitID: 'x', moments: [moment('PageEntered', 0, 'q1'), moment('UserInfo', 5, 'q1', { data: { userId: 'ann@shop.test' } })] }, 'v2', day);
  const stories = [shopStory(), later];

  it('one row per visit, named with its start and its states in order', () => {
    const root = show(<IdentityTimeline stories={stories} label="Visits of ann@shop.test" />);
    expect(label(root.querySelector('section'))).toBe('Visits of ann@shop.test');
    expect(all(root, '.vl-band [role=group]').map(label)).toEqual([
      `Visit v1, ${formatDateTime(T0)}, 17 events: Anonymous → Authenticated (SignIn ann@shop.test) → Anonymous (SignOut)`,
      `Visit v2, ${formatDateTime(T0 + day)}, 2 events: Anonymous → Recognized (UserInfo ann@shop.test)`,
    ]);
    expect(all(root, 'button.vl-visit-zoom').map(label)).toEqual(['Zoom to visit v1', 'Zoom to visit v2']);
  });

  it('one tab stop; ←/→ along a visit, ↓/↑ to the next visit; Enter selects the visit and cause', () => {
    const onSelect = vi.fn();
    const root = show(<IdentityTimeline stories={stories} onSelect={onSelect} />);
    const segs = all<HTMLButtonElement>(root, '.vl-seg');
    expect(segs.filter((b) => b.tabIndex === 0)).toHaveLength(1);
    segs.find((b) => b.tabIndex === 0)!.focus();
    key(document.activeElement!, 'ArrowRight');
    expect(label(document.activeElement)).toMatch(/^Authenticated \(ann@shop.test\)/);
    key(document.activeElement!, 'ArrowDown');
    expect(document.activeElement!.closest('.vl-visit-row')!.getAttribute('data-visit')).toBe('v2');
    key(document.activeElement!, 'End');
    expect(label(document.activeElement)).toMatch(/^Recognized \(ann@shop.test\).*after UserInfo ann@shop.test$/);
    click(document.activeElement!);
    expect(onSelect).toHaveBeenCalledWith('v2', later.moments[1].key);
  });

  it('each visit ends where it ends on the shared axis (its last state does not run on to the next visit)', () => {
    const root = show(<IdentityTimeline stories={stories} />);
    const firstRow = all<HTMLElement>(root, '.vl-visit-row')[0];
    const width = all<HTMLElement>(firstRow, '.vl-seg').reduce((w, seg) => w + parseFloat(seg.style.width), 0);
    expect(width).toBeLessThan(1);
  });

  it('"Zoom to visit" shows that visit across the width', () => {
    const root = show(<IdentityTimeline stories={stories} />);
    const span = () => root.querySelector('.vl-span')!.textContent;
    expect(span()).toBe('1 d 1 h shown');
    click(root.querySelector('button[aria-label="Zoom to visit v2"]')!);
    expect(span()).toBe('6 s shown');
  });

  it('no visits: says so', () => {
    expect(show(<IdentityTimeline stories={[]} />).textContent).toBe('No visits.');
  });
});
