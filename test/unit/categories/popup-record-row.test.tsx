// @vitest-environment happy-dom
// The popup's record rows show each event's categories: those the companion stored (from its
// intake answer, which the worker keeps with the delivery), else those the event was sent with.
import { afterEach, describe, expect, it } from 'vitest';
import type { GtEvent } from '../../../protocol/events';
import type { CaptureRecord } from '../../../extension/shared/capture';
import type { Delivery } from '../../../extension/shared/messages';
import { Courier } from '../../../extension/worker/delivery';
import { Outbox } from '../../../extension/worker/outbox';
import { RecordRow } from '../../../extension/popup/Timeline/RecordRow';
import { memoryArea } from '../extension/memory-area';
import { all, label, mount } from '../ui/render';

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

const event = (eventID: string, category?: string): GtEvent => ({
  eventType: 'BUSINESS',
  eventName: 'AddToCart',
  eventID,
  pageID: 'p1',
  timestamp: 1,
  globalVisitID: 'g1',
  visitID: 'v1',
  data: {},
  ...(category === undefined ? {} : { category }),
});

const record = (events: GtEvent[]): CaptureRecord =>
  ({ seq: 1, at: 1, source: 'page', command: ['event', 'AddToCart'], outcome: 'sent', events, ids: {}, page: { url: 'http://shop.test/', title: 'Shop' } }) as unknown as CaptureRecord;

describe('popup record row: categories', () => {
  it("shows the companion's categories, named, each with a # sign", () => {
    const deliveries: Record<string, Delivery> = { a: { state: 'accepted', at: 1, category: 'cart;Products' } };
    const m = mount(<RecordRow record={record([event('a', 'cart')])} deliveries={deliveries} />);
    cleanup = m.unmount;
    const group = m.root.querySelector('[data-categories]')!;
    expect(label(group)).toBe('Categories: cart, Products');
    expect(all(group, '.category').map((c) => c.textContent)).toEqual(['#cart', '#Products']);
  });

  it('before the answer, the category the event was sent with; none shows nothing', () => {
    const m = mount(<RecordRow record={record([event('a', 'cart'), event('b')])} deliveries={{}} />);
    cleanup = m.unmount;
    expect(all(m.root, '[data-categories]').map(label)).toEqual(['Categories: cart']);
  });
});

describe('delivery keeps the categories of the intake answer', () => {
  it('with the accepted or duplicate delivery', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([event('a'), event('b')], 7);
    const deliveries: Record<string, Delivery> = {};
    const courier = new Courier({
      outbox,
      endpoint: async () => ({ url: 'http://companion.test', headers: {} }),
      report: async (updates) => {
        for (const u of updates) deliveries[u.item.event.eventID] = u.delivery;
      },
      fetch: (async () =>
        Response.json({
          results: [
            { index: 0, eventID: 'a', status: 'accepted', category: 'Products' },
            { index: 1, eventID: 'b', status: 'duplicate' },
          ],
        })) as unknown as typeof fetch,
    });
    await courier.flush();
    expect(deliveries.a).toMatchObject({ state: 'accepted', category: 'Products' });
    expect(deliveries.b.state).toBe('duplicate');
    expect(deliveries.b.category).toBeUndefined();
  });
});
