// The worker's PageExited (worker/page-exits.ts): the page sends none when it is left, so the
// worker makes it from what follows: the next page view of the tab, a page that is not tracked,
// the tab's close. None may be lost, none made twice.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { CaptureLog, type TabLog } from '../../../extension/worker/capture-log';
import { exitOfCurrent, exitsBefore, leaveTrackedPage } from '../../../extension/worker/page-exits';
import { memoryArea } from './memory-area';
import { systemRecord } from './capture-records';

const rec = (pageID: string, seq: number, at: number, names: string[], sessionID?: string): CaptureRecord =>
  systemRecord(pageID, seq, at, names, { sessionID, pageUrl: `http://shop/${pageID}#${seq}` });
const log = (...records: CaptureRecord[]): TabLog => ({ url: null, ids: records.at(-1)?.ids ?? null, records, deliveries: {} });
const exited = (exits: CaptureRecord[]) => exits.map((r) => [r.events[0].eventID, r.events[0].timestamp]);

describe('exitsBefore: the next page view ends the one before', () => {
  it("the next page's PageEntered exits the previous page at that moment, with the page's last address and session", () => {
    const [exit] = exitsBefore(log(rec('p1', 1, 10, ['VisitStarted', 'PageEntered']), rec('p1', 2, 15, ['SignIn'], 's1')), rec('p2', 1, 30, ['PageEntered'], 's1'));
    expect(exit).toMatchObject({ seq: 0, at: 30, source: 'tracker', outcome: 'system', ids: { pageID: 'p1', sessionID: 's1' } });
    expect(exit.events).toEqual([
      expect.objectContaining({ eventType: 'SYSTEM', eventName: 'PageExited', eventID: 'p1.exit', pageID: 'p1', timestamp: 30, sessionID: 's1', url: 'http://shop/p1#2', data: {} }),
    ]);
  });

  it('a record that starts no page view exits nothing; an exited page is not exited twice', () => {
    expect(exitsBefore(log(rec('p1', 1, 10, ['PageEntered'])), rec('p1', 2, 20, ['AddToCart']))).toEqual([]);
    const done = log(rec('p1', 1, 10, ['PageEntered']), rec('p1', 0, 30, ['PageExited']), rec('p2', 1, 30, ['PageEntered']));
    expect(exited(exitsBefore(done, rec('p3', 1, 50, ['PageEntered'])))).toEqual([['p2.exit', 50]]);
  });

  it('records out of order (a page left before its relay came): every page gets its exit at the next one', () => {
    // p2's records come after p3's (handed on through sessionStorage, or a retried message).
    const first = exitsBefore(log(rec('p1', 1, 10, ['PageEntered'])), rec('p3', 1, 50, ['PageEntered']));
    expect(exited(first)).toEqual([['p1.exit', 50]]);
    const after = log(rec('p1', 1, 10, ['PageEntered']), ...first, rec('p3', 1, 50, ['PageEntered']));
    // p1's exit was made at p3 (p2 was not known): it stays; p2 ends where p3 began.
    expect(exited(exitsBefore(after, rec('p2', 1, 30, ['PageEntered'])))).toEqual([['p2.exit', 50]]);
  });

  it('exitOfCurrent: the newest page, once, at the given moment (never before it began)', () => {
    expect(exitOfCurrent(log(rec('p1', 1, 10, ['PageEntered'])), 99)?.events[0]).toMatchObject({ eventID: 'p1.exit', timestamp: 99 });
    expect(exitOfCurrent(log(rec('p1', 1, 10, ['PageEntered'])), 5)?.events[0].timestamp).toBe(10);
    expect(exitOfCurrent(log(rec('p1', 1, 10, ['PageEntered']), rec('p1', 0, 20, ['PageExited'])), 99)).toBeNull();
    expect(exitOfCurrent(log(), 99)).toBeNull();
  });
});

describe('leaveTrackedPage: the tab went to a page that is not tracked', () => {
  it('queues and logs the exit once', async () => {
    const capture = new CaptureLog(memoryArea());
    await capture.add(1, rec('p1', 1, 10, ['PageEntered']));
    const queued: unknown[] = [];
    const w = { log: capture, outbox: { add: async (events: unknown[]) => void queued.push(...events) }, courier: { flush: async () => undefined } };
    await leaveTrackedPage(w as never, 1, 40);
    await leaveTrackedPage(w as never, 1, 60);
    expect(queued).toEqual([expect.objectContaining({ eventID: 'p1.exit', timestamp: 40 })]);
    const tab = await capture.get(1);
    expect(tab.deliveries['p1.exit'].state).toBe('queued');
    // The tab's ids stay its page's (an exit never takes them).
    expect(tab.ids?.pageID).toBe('p1');
  });
});

describe("capture: a tab's records are taken in the order they came", () => {
  it("the next page's PageEntered, its exit of the page before and the records right after it keep their order", async () => {
    const { capture } = await import('../../../extension/worker/router');
    const { Outbox } = await import('../../../extension/worker/outbox');
    const area = memoryArea();
    const w = { log: new CaptureLog(area), outbox: new Outbox(area), courier: { flush: async () => undefined } };
    await capture(w as never, 1, rec('p1', 1, 10, ['VisitStarted', 'PageEntered']));
    // Sent together, as the relay does at a page's start: the later ones must not overtake.
    const entered = rec('p2', 1, 30, ['PageEntered']);
    const signIn = { ...rec('p2', 2, 30, ['SignIn'], 's1') };
    await Promise.all([capture(w as never, 1, entered), capture(w as never, 1, rec('p2', 3, 31, ['AddToCart'], 's1')), capture(w as never, 1, signIn)]);
    const tab = await w.log.get(1);
    expect(tab.records.map((r) => `${r.ids.pageID}#${r.seq}`)).toEqual(['p1#1', 'p1#0', 'p2#1', 'p2#3', 'p2#2']);
    expect(tab.ids?.sessionID).toBe('s1');
    expect((await w.outbox.size())).toBe(6);
  });
});
