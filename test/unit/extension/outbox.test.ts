import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../../protocol/events';
import type { Delivery } from '../../../extension/shared/messages';
import { Courier } from '../../../extension/worker/delivery';
import { Outbox, type OutboxItem } from '../../../extension/worker/outbox';
import { memoryArea } from './memory-area';

const ev = (eventID: string): GtEvent => ({
  eventType: 'BUSINESS',
  eventName: 'X',
  eventID,
  pageID: 'p1',
  timestamp: 1,
  globalVisitID: 'g1',
  visitID: 'v1',
  data: {},
});
const ids = (items: readonly OutboxItem[]) => items.map((i) => i.event.eventID);

describe('Outbox', () => {
  it('keeps events in storage until settled, and never twice the same eventID', async () => {
    const area = memoryArea();
    const outbox = new Outbox(area);
    expect((await outbox.add([ev('a'), ev('b'), ev('a')], 1)).map((e) => e.eventID)).toEqual(['a', 'b']);
    expect((await outbox.add([ev('b'), ev('c')], 1)).map((e) => e.eventID)).toEqual(['c']);
    // Another worker life reads the same storage.
    expect(ids(await new Outbox(area).all())).toEqual(['a', 'b', 'c']);
    await outbox.settle(['a', 'c']);
    expect(ids(await new Outbox(area).all())).toEqual(['b']);
  });

  it('takes batches oldest first, within the count and size limits', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add(['1', '2', '3', '4', '5'].map(ev), null);
    expect(ids(await outbox.take(2, 1e6))).toEqual(['1', '2']);
    expect(ids(await outbox.take(10, JSON.stringify(ev('3')).length * 2))).toEqual(['3', '4']);
    // One event bigger than the byte budget still goes, alone.
    expect(ids(await outbox.take(10, 1))).toEqual(['5']);
    expect(await outbox.take(10, 1e6)).toEqual([]);
    await outbox.release(['2', '4']);
    expect(ids(await outbox.take(10, 1e6))).toEqual(['2', '4']);
  });

  it('a worker that died mid-send left its batch `sent`: the next one sends it again', async () => {
    const area = memoryArea();
    const first = new Outbox(area);
    await first.add([ev('a'), ev('b')], 1);
    await first.take(10, 1e6);
    await first.add([ev('c')], 1); // the in-flight state is written along
    const second = new Outbox(area);
    expect(ids(await second.take(10, 1e6))).toEqual(['a', 'b', 'c']);
  });

  it('coalesces writes: a burst of adds is a few storage writes, all of them stored', async () => {
    const area = memoryArea();
    const outbox = new Outbox(area);
    await Promise.all(Array.from({ length: 50 }, (_, i) => outbox.add([ev(`e${i}`)], 1)));
    expect(area.writes).toBeLessThan(5);
    expect((await new Outbox(area).all()).length).toBe(50);
  });
});

function courierWith(outbox: Outbox, respond: (events: GtEvent[]) => Response | Promise<Response>) {
  const reports: Array<[string, Delivery['state'], string | undefined]> = [];
  const scheduled: number[] = [];
  const sent: GtEvent[][] = [];
  const courier = new Courier({
    outbox,
    endpoint: async () => ({ url: 'http://companion.test', headers: {} }),
    report: async (updates) => {
      for (const u of updates) reports.push([u.item.event.eventID, u.delivery.state, u.delivery.reason]);
    },
    fetch: (async (_url: string, init: RequestInit) => {
      const events = JSON.parse(String(init.body)) as GtEvent[];
      sent.push(events);
      return respond(events);
    }) as typeof fetch,
    schedule: (delay) => scheduled.push(delay),
  });
  return { courier, reports, scheduled, sent };
}

const answer = (events: GtEvent[], status = (e: GtEvent) => (e.eventID.startsWith('dup') ? 'duplicate' : 'accepted')) =>
  Response.json({
    results: events.map((e, index) =>
      e.eventID.startsWith('bad')
        ? { index, eventID: e.eventID, status: 'rejected', field: 'data', reason: 'nope' }
        : { index, eventID: e.eventID, status: status(e) },
    ),
  });

describe('Courier: delivery to the companion', () => {
  it('a failure anywhere in an attempt leaves nothing `sent`: the next attempt takes the events again', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('a')], 7);
    let broken = true;
    const courier = new Courier({
      outbox,
      endpoint: async () => {
        if (broken) throw new Error('settings unreadable');
        return { url: 'http://companion.test', headers: {} };
      },
      report: async () => {
        throw new Error('storage.session full');
      },
      fetch: (async (_u: string, init: RequestInit) => answer(JSON.parse(String(init.body)))) as typeof fetch,
    });
    await courier.flush();
    expect((await outbox.all()).map((i) => i.state)).toEqual(['queued']);
    broken = false;
    // A failing capture log (report) does not stop delivery either.
    await courier.flush(true);
    expect(await outbox.size()).toBe(0);
  });

  it('a companion that never answers times out instead of holding the queue', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('a')], 7);
    const { courier } = courierWith(outbox, () => Promise.reject(new DOMException('The operation timed out.', 'TimeoutError')));
    await courier.flush();
    expect(courier.status.error).toMatch(/timed out/);
    expect((await outbox.all()).map((i) => i.state)).toEqual(['queued']);
  });

  it('records the companion\'s warnings with the delivery, whatever its state', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('a'), ev('far'), ev('dupfar')], 7);
    const warnings = [{ field: 'timestamp', reason: 'is 3 days ahead' }, { field: 'x', reason: 'y' }];
    const deliveries: Record<string, Delivery> = {};
    const courier = new Courier({
      outbox,
      endpoint: async () => ({ url: 'http://companion.test', headers: {} }),
      report: async (updates) => {
        for (const u of updates) deliveries[u.item.event.eventID] = u.delivery;
      },
      fetch: (async (_u: string, init: RequestInit) => {
        const events = JSON.parse(String(init.body)) as GtEvent[];
        return Response.json({
          results: events.map((e, index) => ({
            index,
            eventID: e.eventID,
            status: e.eventID.startsWith('dup') ? 'duplicate' : 'accepted',
            ...(e.eventID.includes('far') ? { warnings } : {}),
          })),
        });
      }) as typeof fetch,
    });
    await courier.flush();
    expect(deliveries.a).toMatchObject({ state: 'accepted' });
    expect(deliveries.a.warning).toBeUndefined();
    expect(deliveries.far).toMatchObject({ state: 'accepted', warning: 'timestamp: is 3 days ahead; x: y' });
    expect(deliveries.dupfar).toMatchObject({ state: 'duplicate', warning: 'timestamp: is 3 days ahead; x: y' });
  });

  it('records accepted, duplicate and rejected per event, and empties the outbox', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('a'), ev('dup1'), ev('bad1')], 7);
    const { courier, reports } = courierWith(outbox, (events) => answer(events));
    await courier.flush();
    expect(reports.filter((r) => r[1] !== 'sent')).toEqual([
      ['a', 'accepted', undefined],
      ['dup1', 'duplicate', undefined],
      ['bad1', 'rejected', 'data: nope'],
    ]);
    expect(await outbox.size()).toBe(0);
    expect(courier.status.reachable).toBe(true);
  });

  it('a companion that is down: events stay queued, a retry is scheduled with back-off', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('a'), ev('b')], 7);
    let up = false;
    const { courier, reports, scheduled, sent } = courierWith(outbox, (events) => {
      if (!up) throw new TypeError('fetch failed');
      return answer(events);
    });
    await courier.flush();
    // New captures while backing off do not send again: one retry is scheduled, not one each.
    await outbox.add([ev('c')], 7);
    await courier.flush();
    expect(sent).toHaveLength(1);
    expect(await outbox.size()).toBe(3);
    expect(courier.status).toMatchObject({ reachable: false, error: expect.stringMatching(/unreachable/) });
    expect(reports.at(-1)).toEqual(['b', 'queued', expect.stringMatching(/unreachable/)]);
    // The alarm (or the companion seen back) forces a try; it fails again: still one timer.
    await courier.flush(true);
    expect(scheduled).toEqual([1000]);
    up = true;
    await courier.flush(true);
    expect(await outbox.size()).toBe(0);
    // Each attempt carried the waiting events; the companion's eventID check makes a resend harmless.
    expect(sent.map((b) => b.map((e) => e.eventID))).toEqual([['a', 'b'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
  });

  it('a retry timer left from an earlier outage does not end the back-off of a new one', async () => {
    const outbox = new Outbox(memoryArea());
    let up = false;
    const timers: Array<() => void> = [];
    let sends = 0;
    const courier = new Courier({
      outbox,
      endpoint: async () => ({ url: 'http://companion.test', headers: {} }),
      report: async () => undefined,
      fetch: (async (_u: string, init: RequestInit) => {
        sends++;
        if (!up) throw new TypeError('fetch failed');
        return answer(JSON.parse(String(init.body)));
      }) as typeof fetch,
      schedule: (_delay, flush) => timers.push(flush),
    });
    await outbox.add([ev('a')], 1);
    await courier.flush(); // outage 1: timer 0
    up = true;
    await courier.flush(true); // back
    up = false;
    await outbox.add([ev('b')], 1);
    await courier.flush(); // outage 2: timer 1
    expect(timers).toHaveLength(2);
    timers[0](); // the stale one fires
    await outbox.add([ev('c')], 1);
    const before = sends;
    await courier.flush(); // still backing off: no send
    expect(sends).toBe(before);
    timers[1]();
    await new Promise((r) => setTimeout(r, 0));
    expect(sends).toBe(before + 1);
  });

  it('a 503 (the companion could not store them) keeps them queued too', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('a')], 7);
    const { courier } = courierWith(outbox, () => Response.json({ error: 'unavailable', message: 'disk full' }, { status: 503 }));
    await courier.flush();
    expect(await outbox.size()).toBe(1);
    expect(courier.status).toMatchObject({ reachable: true, error: 'HTTP 503: disk full' });
  });

  it('sends in batches of at most 100 and halves a batch the companion finds too large', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add(Array.from({ length: 250 }, (_, i) => ev(`e${i}`)), 7);
    const { courier, sent } = courierWith(outbox, (events) =>
      events.length > 60 && sent.length >= 2 ? new Response('{}', { status: 413 }) : answer(events),
    );
    await courier.flush();
    expect(await outbox.size()).toBe(0);
    // Halved after the 413, doubled again after each success.
    expect(sent.map((b) => b.length).slice(0, 4)).toEqual([100, 100, 50, 100]);
    expect(new Set(sent.flat().map((e) => e.eventID)).size).toBe(250);
  });

  it('a single event too large for the companion is rejected, not retried forever', async () => {
    const outbox = new Outbox(memoryArea());
    await outbox.add([ev('huge')], 7);
    const { courier, reports } = courierWith(outbox, () => new Response('{}', { status: 413 }));
    await courier.flush();
    expect(reports.at(-1)).toEqual(['huge', 'rejected', 'body: too large for the companion']);
    expect(await outbox.size()).toBe(0);
  });
});
