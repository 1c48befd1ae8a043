// The engine is pure: replaying the same journal gives the same state, and so does resuming
// from a JSON snapshot taken at any point of the journal.
import { describe, expect, it } from 'vitest';
import { afterEach, vi } from 'vitest';
import { applyOperation, eventOf, emptyState, type EngineConfig, type JournalRecord, type LabState } from '../../../companion/engine';
import type { GtEvent } from '../../../protocol';
import { ev, pageEntered, pageExited, signIn, signOut, stored, userInfo, visitCtx, visitStarted } from '../../helpers/events';

const T0 = 1_700_000_000_000;
const CFG: EngineConfig = { visitExpirationTime: 60 };

/** A journal that goes through every kind of operation and every engine path. */
function journal(): JournalRecord[] {
  const records: JournalRecord[] = [];
  let seq = 0;
  const events = (evs: GtEvent[], userAgent: string | null = 'UA/1') =>
    records.push({ seq: ++seq, op: { kind: 'events', userAgent, events: evs.map((e) => stored(e, e.timestamp + 5)) } });

  records.push({
    seq: ++seq,
    op: {
      kind: 'contacts',
      contacts: [
        { contactId: 'c-ann', userId: 'ann', origin: 'seed' },
        { contactId: 'c-bob', email: 'BOB@shop.test', origin: 'seed' },
        { contactId: 'contact-eve', phone: '+1 555 0199', origin: 'seed' },
      ],
    },
  });
  const a = visitCtx('det-a', 'det-g1', T0);
  const b = visitCtx('det-b', 'det-g2', T0 + 500);
  const lateStart = visitStarted(b, { data: { userAgent: 'Data/UA' } });
  events([visitStarted(a), pageEntered(a, 'p1'), ev(a, 'AddToCart', { pageID: 'p1', data: { sku: 'X', qty: 2 } })]);
  events([pageEntered(b, 'p1'), signIn(b, { email: 'bob@shop.test', firstName: 'Bob' }, 'p1')], null); // implicit visit
  const sign = signIn(a, { userId: 'ann', firstName: 'Ann', location: 'Paris' });
  sign.sessionID = 'tracker-session';
  events([sign, pageExited(a, 'p1'), pageEntered(a, 'p2')]);
  events([lateStart]); // VisitStarted arrives late
  records.push({ seq: ++seq, op: { kind: 'visit', visit: { visitId: 'det-api', globalVisitID: 'det-g3', startDate: T0, userAgent: 'Api/1' } } });
  events([signIn(a, { userId: 'eve', phone: '(+1) 555-0199' }), userInfo(a, 'ann')]);
  const exitFirst = pageExited(a, 'p3');
  const enterLate = pageEntered({ ...a, t: exitFirst.timestamp - 2000 }, 'p3');
  events([exitFirst, enterLate]); // out of order
  events([signIn(a, { userId: 'eve' })]); // duplicate of nothing: a new SignIn
  a.t += 300_000; // visit det-a expires with eve signed in
  events([ev(a, 'Scroll', { pageID: 'p2' }), signOut(a), signOut(b)]);
  events([sign]); // duplicate eventID: skipped
  const c = visitCtx('det-c', 'det-g1', T0 + 400_000);
  events([visitStarted(c), userInfo(c, 'bob@shop.test'), signIn(c, { userId: 'zoe', email: 'zoe@shop.test' }), signIn(c, { userId: 'zoe' })]);
  records.push({ seq: ++seq, op: { kind: 'contacts', contacts: [{ contactId: 'c-ann', phone: '+1 555 0100', origin: 'seed' }] } });
  return records;
}

/** Applies copies of the records, as a journal read back from disk would give. */
function replay(records: JournalRecord[], state: LabState = emptyState()): LabState {
  for (const r of records) applyOperation(state, structuredClone(r), CFG);
  return state;
}

describe('determinism', () => {
  const records = journal();

  it('the journal exercises sessions, identities, contacts, pages and expiry', () => {
    const s = replay(records);
    expect(s.seq).toBe(records.at(-1)!.seq);
    expect(Object.keys(s.visits).sort()).toEqual(['det-a', 'det-api', 'det-b', 'det-c']);
    expect(Object.values(s.sessions).map((x) => x.endReason).sort()).toEqual(['SignIn', 'SignIn', 'SignIn', 'SignOut', 'expired', null].sort());
    expect(s.sessions['tracker-session']).toMatchObject({ identityId: 'ann', endReason: 'SignIn' });
    expect(s.identities['ann'].entityInCS).toBe('c-ann');
    expect(s.identities['bob@shop.test'].entityInCS).toBe('c-bob');
    expect(s.identities['eve'].entityInCS).toBe('contact-eve'); // matched by phone
    expect(s.identities['zoe'].entityInCS).toBe('contact-zoe');
    expect(s.pages['det-a:p3']).toMatchObject({ entered: true });
    expect(s.visits['det-b'].userAgent).toBe('Data/UA');
    expect(s.contacts['c-ann']).toEqual({ contactId: 'c-ann', userId: 'ann', phone: '+1 555 0100', origin: 'seed' });
  });

  it('applying the same journal twice to fresh states gives deep-equal states', () => {
    const first = replay(records);
    const second = replay(records);
    expect(second).toEqual(first);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });

  it('does not depend on the wall clock', async () => {
    const first = replay(records);
    await new Promise((r) => setTimeout(r, 20));
    expect(JSON.stringify(replay(records))).toBe(JSON.stringify(first));
  });

  it('resuming from a JSON snapshot taken after any record gives the same state', () => {
    const full = JSON.stringify(replay(records));
    for (let cut = 0; cut <= records.length; cut++) {
      const head = replay(records.slice(0, cut));
      const snapshot = JSON.parse(JSON.stringify(head)) as LabState;
      const resumed = replay(records.slice(cut), snapshot);
      expect(JSON.stringify(resumed), `snapshot after record ${cut}`).toBe(full);
      expect(resumed).toEqual(JSON.parse(full));
    }
  });

  it('replaying the whole journal over a snapshot of its end changes nothing (duplicates are skipped)', () => {
    const full = replay(records);
    const snapshot = JSON.parse(JSON.stringify(full)) as LabState;
    const again = replay(records.filter((r) => r.op.kind === 'events'), snapshot);
    // Only seq moves; everything else is as it was.
    expect({ ...again, seq: 0 }).toEqual({ ...JSON.parse(JSON.stringify(full)), seq: 0 });
  });

  it('a reset in the journal gives the same state as the records after it applied alone', () => {
    const lastSeq = records.at(-1)!.seq;
    const tail: JournalRecord[] = [{ seq: lastSeq + 1, op: { kind: 'reset' } }];
    const c = visitCtx('det-after', 'det-g9', T0 + 900_000);
    const evs = [visitStarted(c), signIn(c, { userId: 'ann' })].map((e) => stored(e));
    tail.push({ seq: lastSeq + 2, op: { kind: 'events', userAgent: 'UA/2', events: evs } });
    const withReset = replay([...records, ...tail]);
    const alone = replay(tail.slice(1));
    expect(withReset).toEqual(alone);
    expect(withReset.identities['ann'].entityInCS).toBe('contact-ann');
  });
});

describe('determinism: the system clock', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives deep-equal states whatever the system time is (far future, far past, now)', () => {
    const records = journal();
    const now = replay(records);
    const expected = JSON.parse(JSON.stringify(now));

    vi.useFakeTimers();
    vi.setSystemTime(new Date('2199-12-31T23:59:59.000Z'));
    expect(Date.now()).toBe(Date.UTC(2199, 11, 31, 23, 59, 59));
    const future = replay(records);

    vi.setSystemTime(new Date('1971-01-01T00:00:00.000Z'));
    expect(Date.now()).toBe(Date.UTC(1971, 0, 1));
    const past = replay(records);
    vi.useRealTimers();

    expect(future).toEqual(now);
    expect(past).toEqual(now);
    expect(JSON.parse(JSON.stringify(future))).toEqual(expected);
    expect(JSON.stringify(past)).toBe(JSON.stringify(now));
    // The clock-dependent parts came out of the records' own times: det-a expired at its
    // latest event + 60 s, not relative to a system time 170 years on.
    expect(future.sessions['tracker-session']).toEqual(now.sessions['tracker-session']);
    expect(Object.values(future.sessions).filter((x) => x.endReason === 'expired')).toHaveLength(1);
    expect(future.visits['det-a'].activeSessionId).toBe(now.visits['det-a'].activeSessionId);
    expect(Object.keys(future.events).map((id) => eventOf(future, id).visitorState)).toEqual(Object.keys(now.events).map((id) => eventOf(now, id).visitorState));
  });
});
