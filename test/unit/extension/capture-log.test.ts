import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { CaptureLog } from '../../../extension/worker/capture-log';
import { memoryArea } from './memory-area';
import { systemRecord } from './capture-records';

const rec = (pageID: string, seq: number, at: number, names: string[]): CaptureRecord => systemRecord(pageID, seq, at, names);

describe('CaptureLog', () => {
  it('keeps each record once, in storage that outlives the worker', async () => {
    const area = memoryArea();
    const log = new CaptureLog(area);
    expect(await log.add(1, rec('p1', 1, 10, ['VisitStarted', 'PageEntered']))).toBe(true);
    expect(await log.add(1, rec('p1', 1, 10, ['VisitStarted', 'PageEntered']))).toBe(false);
    await log.deliver(1, [['p1-1-0', { state: 'accepted', at: 11 }]]);
    const again = await new CaptureLog(area).get(1);
    expect(again.records).toHaveLength(1);
    expect(again.deliveries['p1-1-0'].state).toBe('accepted');
    expect((await new CaptureLog(area).get(2)).records).toEqual([]);
  });

  it("the tab's ids are its newest page view's, even when the old page's PageExited arrives last", async () => {
    const log = new CaptureLog(memoryArea());
    await log.add(1, rec('p1', 1, 10, ['PageEntered']));
    await log.add(1, rec('p2', 1, 30, ['PageEntered']));
    await log.add(1, rec('p1', 2, 25, ['PageExited']));
    expect((await log.get(1)).ids!.pageID).toBe('p2');
  });

  it('a closed tab whose page was not exited gets a PageExited with the tracker’s own id', async () => {
    const log = new CaptureLog(memoryArea());
    await log.add(1, rec('p1', 1, 10, ['PageEntered']));
    const exited = await log.unexitedPage(1);
    expect(exited).toMatchObject({ eventName: 'PageExited', eventID: 'p1.exit', pageID: 'p1', visitID: 'v', data: {} });
    await log.add(1, rec('p1', 2, 20, ['PageExited']));
    expect(await log.unexitedPage(1)).toBeNull();
    await log.forget(1);
    expect((await log.get(1)).records).toEqual([]);
  });
});
