// @vitest-environment happy-dom
// The web app's events table shows each event's categories, named for screen readers, with a
// sign as well as a colour, and the filter finds events by category.
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../protocol/events';
import type { PageResource } from '../../../protocol/resources';
import { EventsTable } from '../../../companion/web/Visit/EventsTable';
import { all, label, mount, type } from '../ui/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const T = Date.UTC(2026, 0, 1, 12);
const event = (eventID: string, eventName: string, category?: string): StoredEvent => ({
  eventType: 'SYSTEM',
  eventName,
  eventID,
  pageID: 'p1',
  browserPageID: 'p1',
  timestamp: T,
  serverTimestamp: T,
  globalVisitID: 'g',
  visitID: 'v',
  url: 'http://shop.test/products',
  visitorState: 'Anonymous',
  ...(category === undefined ? {} : { category }),
});
const page = { pageId: 'v:p1', browserPageID: 'p1', visitId: 'v', url: 'http://shop.test/products', title: 'Products', referrer: null, category: null, startDate: T, endDate: 0, eventIds: [], events: null } as unknown as PageResource;

describe('EventsTable: categories', () => {
  it('has a Categories column with a named list per categorised event, and nothing for the rest', () => {
    const m = mount(<EventsTable events={[event('e1', 'PageEntered', 'Products; Help'), event('e2', 'PageExited', ''), event('e3', 'Zoom')]} pages={[page]} selected={null} onSelect={() => {}} />);
    cleanup = m.unmount;
    expect(all(m.root, 'thead th').map((th) => th.textContent)).toContain('Categories');
    const lists = all(m.root, 'ul.categories');
    expect(lists.map(label)).toEqual(['Categories: Products, Help']);
    expect(all(lists[0], 'li').map((li) => li.textContent)).toEqual(['#Products', '#Help']);
    expect(all(lists[0], 'li span').every((s) => s.getAttribute('aria-hidden') === 'true')).toBe(true);
  });

  it('the filter finds events by a category name', () => {
    const m = mount(<EventsTable events={[event('e1', 'PageEntered', 'Products'), event('e2', 'Zoom', 'Help')]} pages={[page]} selected={null} onSelect={() => {}} />);
    cleanup = m.unmount;
    type(m.root.querySelector('input[type=search]')!, 'help');
    expect(all(m.root, 'tbody tr').map((tr) => tr.getAttribute('data-event-id'))).toEqual(['e2']);
  });
});
