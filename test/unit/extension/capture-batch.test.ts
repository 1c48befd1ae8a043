// A `capture` message with several records (the relay's batch, tracker/relay-link.ts): taken in
// one task with one write of the outbox and one of the tab's capture log, in order, each record
// once, the page exits of every page view in the batch worked out.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { captureAll, MAX_RECORDS_PER_MESSAGE } from '../../../extension/worker/capture';
import { CaptureLog } from '../../../extension/worker/capture-log';
import { Outbox } from '../../../extension/worker/outbox';
import { route, type Worker } from '../../../extension/worker/router';
import { memoryArea } from './memory-area';
import { systemRecord } from './capture-records';

const rec = (pageID: string, seq: number, at: number, names: string[], sessionID?: string): CaptureRecord =>
  systemRecord(pageID, seq, at, names, { sessionID });

function worker() {
  const local = memoryArea();
  const session = memoryArea();
  const w = { log: new CaptureLog(session), outbox: new Outbox(local), courier: { flush: async () => undefined }, settings: { get: async () => ({ runId: '' }) } };
  return { w: w as unknown as Worker, local, session };
}

describe('captureAll: a batch of records from one tab', () => {
  it('one write of the outbox and one of the capture log for the batch and its exits, in order, exits of each page view included', async () => {
    const { w, local, session } = worker();
    await captureAll(w, 1, [rec('p1', 1, 10, ['VisitStarted', 'PageEntered'])]);
    const [localBefore, sessionBefore] = [local.writes, session.writes];
    // What a relay sends when it comes: a page left before its relay (p2) and the page now (p3).
    const batch = [rec('p2', 1, 30, ['PageEntered']), rec('p2', 2, 31, ['SignIn'], 's1'), rec('p3', 1, 50, ['PageEntered'], 's1'), rec('p3', 2, 51, ['AddToCart'], 's1')];
    expect(await captureAll(w, 1, batch)).toEqual({ refused: [] });
    const tab = await w.log.get(1);
    expect(tab.records.map((r) => `${r.ids.pageID}#${r.seq}`)).toEqual(['p1#1', 'p1#0', 'p2#1', 'p2#2', 'p2#0', 'p3#1', 'p3#2']);
    // p1 ended when p2 began, p2 when p3 began, in the session p2 was left in.
    expect(tab.records[1].events[0]).toMatchObject({ eventID: 'p1.exit', timestamp: 30 });
    expect(tab.records[4].events[0]).toMatchObject({ eventID: 'p2.exit', timestamp: 50, sessionID: 's1' });
    expect(tab.ids).toMatchObject({ pageID: 'p3', sessionID: 's1' });
    expect(Object.values(tab.deliveries).every((d) => d.state === 'queued')).toBe(true);
    expect(Object.keys(tab.deliveries)).toHaveLength(8);
    expect(await w.outbox.size()).toBe(8);
    // The records and the exits they brought: one outbox write and one log write (the run's
    // capture report, kept beside the outbox, none: no run).
    expect(local.writes - localBefore).toBe(1);
    expect(session.writes - sessionBefore).toBe(1);
  });

  it('an exit not foreseen (another message of the tab came in between) is still queued, once', async () => {
    const { w } = worker();
    await captureAll(w, 1, [rec('p1', 1, 10, ['VisitStarted', 'PageEntered'])]);
    // Both look at the log before either is logged: p2's exit is known only when p3's joins it.
    await Promise.all([captureAll(w, 1, [rec('p2', 1, 30, ['PageEntered'])]), captureAll(w, 1, [rec('p3', 1, 50, ['PageEntered'])])]);
    const tab = await w.log.get(1);
    expect(tab.records.filter((r) => r.seq === 0).map((r) => r.events[0].eventID).sort()).toEqual(['p1.exit', 'p2.exit']);
    expect(tab.deliveries['p2.exit'].state).toBe('queued');
    const queued = (await w.outbox.all()).map((i) => i.event);
    expect(queued).toHaveLength(6);
    expect(queued.filter((e) => e.eventName === 'PageExited').map((e) => [e.eventID, e.timestamp])).toEqual([['p1.exit', 30], ['p2.exit', 50]]);
  });

  it('a retried batch is taken once; a record of the wrong shape is refused by its index, the others taken', async () => {
    const { w } = worker();
    const batch = [rec('p1', 1, 10, ['PageEntered']), rec('p1', 2, 11, ['AddToCart'])];
    await captureAll(w, 1, batch);
    const bad = { ...rec('p1', 4, 13, ['Bad']), ids: null };
    expect(await captureAll(w, 1, [...batch, rec('p1', 3, 12, ['AddToCart']), bad])).toEqual({ refused: [3] });
    expect((await w.log.get(1)).records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(await w.outbox.size()).toBe(3);
  });

  it('route: `records` from a tab, at most MAX_RECORDS_PER_MESSAGE; `record` alone still taken', async () => {
    const { w } = worker();
    expect(await route(w, { type: 'capture', records: [rec('p1', 1, 10, ['PageEntered']), rec('p1', 2, 11, ['AddToCart'])] }, 4, false)).toEqual({ ok: true });
    expect(await route(w, { type: 'capture', record: rec('p1', 3, 12, ['AddToCart']) }, 4, false)).toEqual({ ok: true });
    expect(await route(w, { type: 'capture', records: [{ seq: 'x' } as never] }, 4, false)).toEqual({ ok: false, refused: [0] });
    const many = Array.from({ length: MAX_RECORDS_PER_MESSAGE + 1 }, (_, i) => rec('p2', i + 1, 20, ['AddToCart']));
    expect(await route(w, { type: 'capture', records: many }, 4, false)).toEqual({ ok: false });
    expect(await route(w, { type: 'capture', records: [] }, undefined, false)).toEqual({ ok: false });
    expect((await w.log.get(4)).records.map((r) => r.seq)).toEqual([1, 2, 3]);
  });
});
