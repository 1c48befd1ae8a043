// Runs and forgetting visits in the engine: membership recorded by the events operation, the
// forget operation taking visits whole, and lists replaced (never changed in place) so a
// snapshot captured before keeps what it captured.
import { describe, expect, it } from 'vitest';
import { applyOperation, countsOf, emptyState, type LabState, type Operation } from '../../../companion/engine';
import { captureState } from '../../../companion/store/capture';
import { pageEntered, signIn, signOut, stored, visitCtx, visitStarted } from '../../helpers/events';
import { CFG, seedContacts } from './apply-helpers';

let seq = 1000;
const op = (state: LabState, o: Operation) => applyOperation(state, { seq: ++seq, op: o }, CFG);
const start = (state: LabState, runId: string, active = false) => op(state, { kind: 'run-start', run: { runId, name: runId, startedAt: 1 }, active });
const send = (state: LabState, events: ReturnType<typeof visitStarted>[], runId?: string) =>
  op(state, { kind: 'events', userAgent: 'UA/1', events: events.map((e) => stored(e)), ...(runId ? { runId } : {}) });

describe('runs in the engine', () => {
  it('keeps the events stored for a run in applied order and each visit once', () => {
    const s = emptyState();
    start(s, 'run-a');
    const a = visitCtx();
    const b = visitCtx();
    const first = [visitStarted(a), pageEntered(a, 'p1')];
    send(s, first, 'run-a');
    send(s, [visitStarted(b)]); // no run
    const later = pageEntered(a, 'p2');
    send(s, [later, first[0]], 'run-a'); // the repeat is not stored again: not a member twice
    expect(s.runs!['run-a'].eventIds).toEqual([first[0].eventID, first[1].eventID, later.eventID]);
    expect(s.runs!['run-a'].visitIds).toEqual([a.visitID]);
  });

  it('takes nothing for a run that is not there (forgotten while the events were on their way)', () => {
    const s = emptyState();
    const a = visitCtx();
    send(s, [visitStarted(a)], 'run-gone');
    expect(s.runs).toBeUndefined();
    expect(s.visitOrder).toEqual([a.visitID]);
  });

  it('an active run stops being active when stopped; stopping keeps the first stop time', () => {
    const s = emptyState();
    start(s, 'run-a', true);
    expect(s.activeRunId).toBe('run-a');
    op(s, { kind: 'run-stop', runId: 'run-a', at: 5 });
    op(s, { kind: 'run-stop', runId: 'run-a', at: 9 });
    expect(s.activeRunId).toBeNull();
    expect(s.runs!['run-a'].stoppedAt).toBe(5);
  });

  it('counts problems exactly and keeps the first 100', () => {
    const s = emptyState();
    start(s, 'run-a');
    const problems = Array.from({ length: 70 }, (_, i) => ({ kind: 'rejected' as const, eventID: `e${i}` }));
    op(s, { kind: 'run-problems', runId: 'run-a', rejected: 70, duplicates: 0, problems });
    op(s, { kind: 'run-problems', runId: 'run-a', rejected: 60, duplicates: 10, problems });
    expect(s.runs!['run-a'].rejected).toBe(130);
    expect(s.runs!['run-a'].duplicates).toBe(10);
    expect(s.runs!['run-a'].problems).toHaveLength(100);
  });

  it('keeps the checks run against it, the latest 100', () => {
    const s = emptyState();
    start(s, 'run-a');
    for (let i = 0; i < 120; i++) op(s, { kind: 'run-check', runId: 'run-a', check: { checkedAt: i, spec: 'sign-in', passed: i % 2 === 0, summary: { passed: 1, failed: i % 2 } } });
    op(s, { kind: 'run-check', runId: 'run-gone', check: { checkedAt: 0, spec: 'x', passed: true, summary: { passed: 1, failed: 0 } } });
    expect(s.runs!['run-a'].checks).toHaveLength(100);
    expect(s.runs!['run-a'].checks[1]).toEqual({ checkedAt: 21, spec: 'sign-in', passed: false, summary: { passed: 1, failed: 1 } });
    expect(s.runs!['run-a'].checks.at(-1)!.checkedAt).toBe(119);
    expect(Object.keys(s.runs!)).toEqual(['run-a']);
  });

  it('a reset forgets runs and the active run', () => {
    const s = emptyState();
    start(s, 'run-a', true);
    op(s, { kind: 'reset' });
    expect(s.runs).toBeUndefined();
    expect(s.activeRunId).toBeUndefined();
  });
});

describe('forget', () => {
  function twoVisits() {
    const s = emptyState();
    seedContacts(s, [{ contactId: 'c-pat', email: 'pat@example.com', origin: 'seed' }]);
    start(s, 'run-a');
    start(s, 'run-b');
    const a = visitCtx();
    const b = visitCtx();
    send(s, [visitStarted(a), pageEntered(a, 'p1'), signIn(a, { email: 'pat@example.com' })], 'run-a');
    send(s, [visitStarted(b), pageEntered(b, 'p1'), signIn(b, { email: 'pat@example.com' }), signIn(b, { email: 'kim@example.com' })], 'run-b');
    return { s, a, b };
  }

  it('forgets a visit whole: its events, pages, sessions, the links to it; an identity left with none goes; contacts stay', () => {
    const { s, a, b } = twoVisits();
    countsOf(s); // counted before: the forget keeps the counts right
    const forgottenEvents = s.visits[b.visitID].eventIds.slice();
    op(s, { kind: 'forget', visitIds: [b.visitID], runIds: ['run-b'] });
    expect(s.visitOrder).toEqual([a.visitID]);
    expect(s.visits[b.visitID]).toBeUndefined();
    for (const id of forgottenEvents) expect(s.events[id]).toBeUndefined();
    expect(Object.values(s.pages).every((p) => !p.pageId.startsWith(`${b.visitID}:`))).toBe(true);
    expect(Object.values(s.sessions).map((x) => x.visitId)).toEqual([a.visitID]);
    expect(s.identities['pat@example.com'].visitIds).toEqual([a.visitID]);
    expect(s.identities['kim@example.com']).toBeUndefined();
    expect(s.identityOrder).toEqual(['pat@example.com']);
    expect(s.contacts['c-pat']).toBeDefined();
    expect(s.runs!['run-b']).toBeUndefined();
    expect(s.runs!['run-a'].visitIds).toEqual([a.visitID]);
    const counts = { ...countsOf(s) };
    expect(counts).toEqual({ pages: Object.keys(s.pages).length, events: Object.keys(s.events).length, sessions: Object.keys(s.sessions).length, contacts: Object.keys(s.contacts).length });
  });

  it("an identity's scope is again that of its latest transition left", () => {
    const s = emptyState();
    const x = visitCtx();
    const y = visitCtx();
    send(s, [visitStarted(x), signIn(x, { email: 'pat@example.com' })]);
    send(s, [visitStarted(y), signIn(y, { email: 'pat@example.com' }), signOut(y)]);
    expect(s.identities['pat@example.com'].visitScope).toBe('Recognized'); // y's sign-out is the latest
    op(s, { kind: 'forget', visitIds: [y.visitID] });
    const link = s.visits[x.visitID].identities[0];
    expect(link.scope).toBe('Authenticated');
    expect(s.identities['pat@example.com']).toMatchObject({ visitScope: 'Authenticated', since: link.since });
  });

  it('forgets visits of another run too, and the other run no longer lists them or their events', () => {
    const { s, a, b } = twoVisits();
    const late = pageEntered(b, 'p9');
    send(s, [late], 'run-a'); // run-a reached visit b as well
    op(s, { kind: 'forget', visitIds: [], runIds: ['run-b'] });
    expect(s.visits[b.visitID]).toBeUndefined();
    expect(s.runs!['run-a'].visitIds).toEqual([a.visitID]);
    expect(s.runs!['run-a'].eventIds).not.toContain(late.eventID);
    // The visit's id may be used again: the run takes it as a new visit.
    send(s, [visitStarted(b)], 'run-a');
    expect(s.runs!['run-a'].visitIds).toEqual([a.visitID, b.visitID]);
  });

  it('replaces the lists it changes, so a snapshot captured before keeps them whole', () => {
    const { s, a, b } = twoVisits();
    const captured = captureState(s);
    op(s, { kind: 'forget', visitIds: [a.visitID], runIds: ['run-a'] });
    const pat = captured.identities.find((i) => i.rec.identityId === 'pat@example.com')!;
    expect(pat.rec.visitIds.slice(0, pat.n.visitIds)).toEqual([a.visitID, b.visitID]);
    expect(captured.visits.map((v) => v.rec.visitId)).toEqual([a.visitID, b.visitID]);
    expect(captured.runs.map((r) => r.rec.runId).sort()).toEqual(['run-a', 'run-b']);
  });

  it('forgetting unknown visits changes nothing', () => {
    const { s } = twoVisits();
    const before = JSON.stringify(s);
    op(s, { kind: 'forget', visitIds: ['nope'] });
    expect(JSON.stringify({ ...s, seq: 0 })).toBe(JSON.stringify({ ...JSON.parse(before), seq: 0 }));
  });
});
