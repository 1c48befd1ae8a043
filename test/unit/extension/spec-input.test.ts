// The popup's check of a loaded spec: the CheckInput the worker builds from a tab's capture log
// (events in order with the state after each, identities, capture problems) and the stored spec.
import { describe, expect, it } from 'vitest';
import type { CaptureRecord } from '../../../extension/shared/capture';
import type { Delivery } from '../../../extension/shared/messages';
import { checkInputFromCapture, loadStoredSpec, SPEC_KEY, storeSpec, tabCheck } from '../../../extension/worker/spec';
import { ISSUE_SPEC } from '../expectations/issue-spec';
import { memoryArea } from './memory-area';
import { systemRecord } from './capture-records';

/** A `_gt.push(['event', name, data])` of the page, as the tracker records it. */
function pushRecord(pageID: string, seq: number, at: number, eventName: string, data: Record<string, unknown>, sessionID?: string): CaptureRecord {
  const r = systemRecord(pageID, seq, at, [eventName], { sessionID });
  r.source = 'page';
  r.outcome = 'event';
  r.command = ['event', eventName, data];
  r.events[0].data = data;
  if (sessionID) r.events[0].sessionID = sessionID;
  return r;
}

const accepted = (records: CaptureRecord[]): Record<string, Delivery> =>
  Object.fromEntries(records.flatMap((r) => r.events.map((e) => [e.eventID, { state: 'accepted', at: 1 } as Delivery])));

/** The issue's journey: home, login, SignIn, SignOut, UserInfo. */
function journey(): CaptureRecord[] {
  return [
    systemRecord('home', 0, 1000, ['VisitStarted', 'PageEntered']),
    systemRecord('login', 0, 2000, ['PageEntered'], { pageUrl: 'http://shop/login' }),
    pushRecord('login', 1, 3000, 'SignIn', { email: 'pat@example.com' }, 's1'),
    pushRecord('login', 2, 4000, 'SignOut', {}, 's1'),
    pushRecord('login', 3, 5000, 'UserInfo', { userId: 'Pat@Example.com' }),
  ];
}

describe('checkInputFromCapture', () => {
  it('gives the visit its events in order, each with the visitor state after it, and the identities its events name', () => {
    const records = journey();
    const input = checkInputFromCapture(records, accepted(records), 'v');
    expect(input.visits).toHaveLength(1);
    expect(input.visits[0].events.map((e) => [e.eventName, e.visitorState])).toEqual([
      ['VisitStarted', 'Anonymous'],
      ['PageEntered', 'Anonymous'],
      ['PageEntered', 'Anonymous'],
      ['SignIn', 'Authenticated'],
      ['SignOut', 'Anonymous'],
      ['UserInfo', 'Recognized'],
    ]);
    // Canonical (lower case) as the companion keys it; the scope of its latest transition.
    expect(input.identities).toEqual([{ identityId: 'pat@example.com', visitScope: 'Recognized', visitIds: ['v'] }]);
    expect(input.captures).toEqual([]);
  });

  it('lists rejected commands and events, undelivered and duplicate events; rejected and duplicate ones are not the visit\'s events', () => {
    const records = journey();
    const deliveries = accepted(records);
    const bad: CaptureRecord = { ...systemRecord('login', 9, 2500, []), source: 'page', outcome: 'rejected', reason: 'unknown command', command: ['nope'] };
    records.push(bad);
    deliveries['login-1-0'] = { state: 'rejected', by: 'companion', reason: 'data: too big', at: 2 };
    deliveries['login-2-0'] = { state: 'duplicate', at: 2 };
    deliveries['login-3-0'] = { state: 'queued', at: 2 };
    const input = checkInputFromCapture(records, deliveries, 'v');
    expect(input.captures).toEqual([
      { kind: 'rejected', visitId: 'v', reason: 'unknown command' },
      { kind: 'rejected', eventName: 'SignIn', eventID: 'login-1-0', visitId: 'v', reason: 'data: too big' },
      { kind: 'duplicate', eventName: 'SignOut', eventID: 'login-2-0', visitId: 'v' },
      { kind: 'undelivered', eventName: 'UserInfo', eventID: 'login-3-0', visitId: 'v', reason: 'queued' },
    ]);
    // The rejected SignIn never reached anyone: no session, so the UserInfo (still queued, but captured) recognizes.
    expect(input.visits[0].events.map((e) => e.eventName)).toEqual(['VisitStarted', 'PageEntered', 'PageEntered', 'UserInfo']);
    expect(input.visits[0].events.at(-1)!.visitorState).toBe('Recognized');
  });

  it('takes the companion\'s identities when it gave them', () => {
    const records = journey();
    const input = checkInputFromCapture(records, accepted(records), 'v', [{ identityId: 'u-42', visitScope: 'Authenticated' } as never]);
    expect(input.identities).toEqual([{ identityId: 'u-42', visitScope: 'Authenticated', visitIds: ['v'] }]);
  });

  it('leaves out other visits of the tab', () => {
    const other = systemRecord('p2', 0, 9000, ['VisitStarted']);
    other.events[0].visitID = 'w';
    other.ids.visitID = 'w';
    const records = [...journey(), other];
    expect(checkInputFromCapture(records, accepted(records), 'w').visits[0].events.map((e) => e.eventName)).toEqual(['VisitStarted']);
  });
});

describe('tabCheck', () => {
  it('ticks the issue spec off as the journey goes: each step met in turn, then passed', () => {
    const all = journey();
    const stored = { text: JSON.stringify({ ...ISSUE_SPEC, noRejected: true, noUndelivered: true }), loadedAt: 1 };
    const met = (n: number) => {
      const records = all.slice(0, n);
      return tabCheck(stored, records, accepted(records), 'v').report!;
    };
    expect(met(1).results[0]).toMatchObject({ passed: false, stepsMet: 1 });
    expect(met(2).results[0]).toMatchObject({ passed: false, stepsMet: 2 });
    expect(met(3).results[0]).toMatchObject({ passed: false, stepsMet: 4 });
    const done = met(5);
    expect(done.results.map((r) => [r.place, r.passed])).toEqual([
      ['visits[0]', true],
      ['identities[0]', true],
      ['noRejected', true],
      ['noUndelivered', true],
    ]);
    expect(done.passed).toBe(true);
    expect(done.scope).toEqual({ visitId: 'v', visits: 1 });
  });

  it('without a spec, or before the tab has a visit, has no report to tick', () => {
    expect(tabCheck(null, [], {}, 'v')).toEqual({ stored: null, spec: null, report: null });
    const report = tabCheck({ text: JSON.stringify(ISSUE_SPEC), loadedAt: 1 }, [], {}, null).report!;
    expect(report.passed).toBe(false);
    expect(report.scope.visits).toBe(0);
  });
});

describe('the stored spec', () => {
  it('keeps a spec and refuses a bad one with its place and reason, writing nothing', async () => {
    const area = memoryArea();
    expect(await storeSpec(area, '{"visits": [{"steps": [{"event": "A", "url": {"re": "("}}]}]}')).toMatchObject({ ok: false, problem: { place: 'visits[0].steps[0].url.re' } });
    expect(await storeSpec(area, '{nope')).toMatchObject({ ok: false, problem: { place: 'spec', reason: expect.stringContaining('not JSON') } });
    expect(await storeSpec(area, '')).toMatchObject({ ok: false, problem: { place: 'spec' } });
    expect(area.writes).toBe(0);
    const text = JSON.stringify(ISSUE_SPEC);
    expect(await storeSpec(area, text, 7)).toMatchObject({ ok: true });
    expect(await loadStoredSpec(area)).toEqual({ text, loadedAt: 7 });
    await area.remove(SPEC_KEY);
    expect(await loadStoredSpec(area)).toBeNull();
  });
});
