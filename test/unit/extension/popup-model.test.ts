import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../../protocol/events';
import type { CaptureRecord } from '../../../extension/shared/capture';
import { capGroups, filterGroups, groupByPage, localVisitorState, recordCount } from '../../../extension/popup/model';

let clock = 1000;
function rec(pageID: string, seq: number, names: string[], extra: Partial<CaptureRecord> = {}): CaptureRecord {
  const at = (clock += 10);
  const events: GtEvent[] = names.map((eventName, i) => ({
    eventType: ['SignIn', 'SignOut', 'UserInfo', 'PageEntered', 'VisitStarted'].includes(eventName) ? 'SYSTEM' : 'BUSINESS',
    eventName,
    eventID: `${pageID}-${seq}-${i}`,
    pageID,
    timestamp: at,
    globalVisitID: 'g',
    visitID: extra.ids?.visitID ?? 'v1',
    data: eventName === 'SignIn' || eventName === 'UserInfo' ? { userId: 'u1' } : {},
  }));
  return {
    seq,
    at,
    source: 'page',
    command: ['event', names[0]],
    outcome: 'event',
    events,
    ids: { globalVisitID: 'g', visitID: 'v1', pageID },
    page: { url: `http://shop/${pageID}`, title: pageID },
    ...extra,
  };
}

describe('groupByPage', () => {
  it('groups by page view, newest page first and newest record first, whatever the arrival order', () => {
    const groups = groupByPage([rec('p1', 2, ['A']), rec('p1', 1, ['PageEntered']), rec('p2', 1, ['PageEntered']), rec('p2', 2, ['B'])]);
    expect(groups.map((g) => g.pageID)).toEqual(['p2', 'p1']);
    expect(groups[1].records.map((r) => r.seq)).toEqual([2, 1]);
  });
});

describe('filterGroups', () => {
  it('keeps records whose command, events, reason or delivery state match, and drops empty pages', () => {
    const rejected = rec('p2', 3, [], { outcome: 'rejected', reason: 'unknown command "x"', command: ['x'] });
    const groups = groupByPage([rec('p1', 1, ['PageEntered']), rec('p1', 2, ['AddToCart']), rec('p2', 1, ['PageEntered']), rejected]);
    expect(filterGroups(groups, {}, 'addtocart').map((g) => [g.pageID, g.records.length])).toEqual([['p1', 1]]);
    expect(filterGroups(groups, {}, 'unknown command')[0].records).toEqual([rejected]);
    const deliveries = { 'p1-2-0': { state: 'duplicate' as const, at: 0 } };
    expect(filterGroups(groups, deliveries, 'duplicate').flatMap((g) => g.records.map((r) => r.seq))).toEqual([2]);
    expect(filterGroups(groups, {}, '  ')).toBe(groups);
  });
});

describe('localVisitorState (shown when the companion cannot be asked)', () => {
  it('follows contract section 3: Authenticated while a session is open, else Recognized after UserInfo', () => {
    const log = [rec('p1', 1, ['PageEntered'])];
    expect(localVisitorState(log, 'v1')).toBe('Anonymous');
    log.push(rec('p1', 2, ['UserInfo']));
    expect(localVisitorState(log, 'v1')).toBe('Recognized');
    log.push(rec('p1', 3, ['SignIn']));
    expect(localVisitorState(log, 'v1')).toBe('Authenticated');
    log.push(rec('p1', 4, ['SignOut']));
    expect(localVisitorState(log, 'v1')).toBe('Recognized');
    // Another visit's events do not count.
    expect(localVisitorState(log, 'v2')).toBe('Anonymous');
  });
  it('a sign-in and sign-out without UserInfo is Anonymous again', () => {
    expect(localVisitorState([rec('p1', 1, ['SignIn']), rec('p1', 2, ['SignOut'])], 'v1')).toBe('Anonymous');
  });
});

describe('capGroups (the timeline renders a page of records at a time)', () => {
  it('keeps the first records in order across page groups and counts them', () => {
    const groups = groupByPage([rec('p1', 1, ['PageEntered']), rec('p1', 2, ['A']), rec('p2', 1, ['PageEntered']), rec('p2', 2, ['B']), rec('p2', 3, ['C'])]);
    const { groups: two, count } = capGroups(groups, 4);
    expect(count).toBe(4);
    expect(two.map((g) => [g.pageID, g.records.map((r) => r.seq)])).toEqual([['p2', [3, 2, 1]], ['p1', [2]]]);
    expect(capGroups(groups, 100).groups).toEqual(groups);
    expect(recordCount(groups)).toBe(5);
  });
});
