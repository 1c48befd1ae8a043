// A tab's capture log kept in blocks (worker/tab-store.ts): what one change writes, what a new
// worker reads back, the log of an earlier version, trimming, forgetting.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { CaptureLog, MAX_RECORDS_PER_TAB } from '../../../extension/worker/capture-log';
import { BLOCK_SIZE } from '../../../extension/worker/tab-store';
import type { Area } from '../../../extension/worker/persisted';
import { memoryArea } from './memory-area';
import { systemRecord } from './capture-records';

const page = (n: number): CaptureRecord => systemRecord(`p${n}`, 1, 1000 + n, ['PageEntered']);

/** The keys each `set` wrote. */
function recording(area: ReturnType<typeof memoryArea>): Area & { sets: string[][] } {
  const sets: string[][] = [];
  return {
    sets,
    get: (k) => area.get(k),
    remove: (k) => area.remove(k),
    set: async (items) => {
      sets.push(Object.keys(items).sort());
      await area.set(items);
    },
  };
}

describe('a tab capture log in blocks', () => {
  it('a record or a delivery answer writes its own block and the small entry, not the whole log', async () => {
    const area = memoryArea();
    const spy = recording(area);
    const log = new CaptureLog(spy);
    for (let i = 0; i < 2 * BLOCK_SIZE + 10; i++) await log.add(7, page(i));
    expect(spy.sets.at(-1)).toEqual(['visitorLab.tab.7', 'visitorLab.tab.7.b2']);
    // An answer for an event of the first page goes to the first block.
    await log.deliver(7, [['p0-1-0', { state: 'accepted', at: 5 }]]);
    expect(spy.sets.at(-1)).toEqual(['visitorLab.tab.7', 'visitorLab.tab.7.b0']);
    // A new worker reads the same log back, in order, with its delivery states.
    const again = await new CaptureLog(area).get(7);
    expect(again.records.map((r) => r.ids.pageID)).toEqual(Array.from({ length: 2 * BLOCK_SIZE + 10 }, (_, i) => `p${i}`));
    expect(again.deliveries['p0-1-0']).toEqual({ state: 'accepted', at: 5 });
    expect(again.ids!.pageID).toBe(`p${2 * BLOCK_SIZE + 9}`);
  });

  it('a delivery state known before its record (a PageExited the worker makes) is kept', async () => {
    const area = memoryArea();
    const log = new CaptureLog(area);
    await log.add(1, page(1));
    await log.deliver(1, [['p1.exit', { state: 'queued', at: 3 }]], true);
    await log.add(1, systemRecord('p1', 0, 1003, ['PageExited']));
    const again = await new CaptureLog(area).get(1);
    expect(again.deliveries['p1.exit']).toEqual({ state: 'queued', at: 3 });
    expect(again.records).toHaveLength(2);
  });

  it("an earlier version's whole log is read, then written as blocks", async () => {
    const area = memoryArea();
    const old = { url: 'http://shop/p1', ids: page(1).ids, idsAt: 1001, records: [page(1), page(2)], deliveries: { 'p1-1-0': { state: 'accepted', at: 2 } } };
    await area.set({ 'visitorLab.tab.3': old });
    const log = new CaptureLog(area);
    expect((await log.get(3)).records).toHaveLength(2);
    await log.add(3, page(3));
    expect(area.data.get('visitorLab.tab.3')).toMatchObject({ v: 2, blocks: [0] });
    const again = await new CaptureLog(area).get(3);
    expect(again.records.map((r) => r.ids.pageID)).toEqual(['p1', 'p2', 'p3']);
    expect(again.deliveries['p1-1-0'].state).toBe('accepted');
  });

  it('past the limit the oldest records go, with their delivery states and emptied blocks', async () => {
    const area = memoryArea();
    const log = new CaptureLog(area);
    const records = Array.from({ length: MAX_RECORDS_PER_TAB + BLOCK_SIZE }, (_, i) => page(i));
    await log.deliver(2, [['p0-1-0', { state: 'accepted', at: 1 }]]);
    await (log as unknown as { addAll(t: number, r: CaptureRecord[]): Promise<unknown> }).addAll(2, records);
    const again = await new CaptureLog(area).get(2);
    expect(again.records).toHaveLength(MAX_RECORDS_PER_TAB);
    expect(again.records[0].ids.pageID).toBe(`p${BLOCK_SIZE}`);
    expect(again.deliveries['p0-1-0']).toBeUndefined();
    expect(area.data.has('visitorLab.tab.2.b0')).toBe(false);
  });

  it('forgetting a tab removes its entry and every block, also from a worker that never read it', async () => {
    const area = memoryArea();
    const log = new CaptureLog(area);
    for (let i = 0; i < BLOCK_SIZE + 1; i++) await log.add(4, page(i));
    await log.add(5, page(1));
    await new CaptureLog(area).forget(4);
    expect([...area.data.keys()].filter((k) => k.startsWith('visitorLab.tab.4'))).toEqual([]);
    expect([...area.data.keys()].filter((k) => k.startsWith('visitorLab.tab.5'))).toHaveLength(2);
  });
});
