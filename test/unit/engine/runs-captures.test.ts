// A run's capture reports in the engine (the run-captures operation): captured events taken once
// (a resent batch changes nothing), the first MAX_RUN_CAPTURED kept with the count exact,
// undelivered worked out at read time, and the latest checks kept; lists a snapshot captured
// before keep what it captured.
import { describe, expect, it } from 'vitest';
import { applyOperation, emptyState, undeliveredOf, type LabState, type Operation } from '../../../companion/engine';
import { captureState, recordJson } from '../../../companion/store/capture';
import { MAX_RUN_CAPTURED, MAX_RUN_CHECKS } from '../../../protocol/runs';
import { stored, visitCtx, visitStarted } from '../../helpers/events';
import { CFG } from './apply-helpers';

let seq = 5000;
const op = (state: LabState, o: Operation) => applyOperation(state, { seq: ++seq, op: o }, CFG);
const start = (state: LabState, runId: string) => op(state, { kind: 'run-start', run: { runId, name: runId, startedAt: 1 }, active: false });
const captures = (runId: string, batch: string, ids: string[], rejected = 0) =>
  ({ kind: 'run-captures', runId, batch, captured: ids.map((eventID) => ({ eventID, eventName: 'E', visitId: 'v' })), rejected, problems: [] }) as Operation;

describe('capture reports in the engine', () => {
  it('takes each captured event once and a batch once; undelivered is what is not stored', () => {
    const s = emptyState();
    start(s, 'run-a');
    op(s, captures('run-a', 'b1', ['e1', 'e2'], 1));
    op(s, captures('run-a', 'b1', ['e1', 'e2'], 1)); // a resend
    op(s, captures('run-a', 'b2', ['e2', 'e3']));
    const run = s.runs!['run-a'];
    expect(run.captured!.map((c) => c.eventID)).toEqual(['e1', 'e2', 'e3']);
    expect(run.capturedCount).toBe(3);
    expect(run.rejected).toBe(1);
    const v = visitCtx('v');
    const e1 = { ...visitStarted(v), eventID: 'e1' };
    op(s, { kind: 'events', userAgent: null, events: [stored(e1)], runId: 'run-a' });
    expect(undeliveredOf(s, run).map((c) => c.eventID)).toEqual(['e2', 'e3']);
    expect(undeliveredOf(s, run, 'other visit')).toEqual([]);
  });

  it(`keeps the first ${MAX_RUN_CAPTURED} captured events, counting all`, () => {
    const s = emptyState();
    start(s, 'run-a');
    const ids = Array.from({ length: MAX_RUN_CAPTURED + 5 }, (_, i) => `e${i}`);
    for (let i = 0; i < ids.length; i += 1000) op(s, captures('run-a', `b${i}`, ids.slice(i, i + 1000)));
    expect(s.runs!['run-a'].captured).toHaveLength(MAX_RUN_CAPTURED);
    expect(s.runs!['run-a'].capturedCount).toBe(MAX_RUN_CAPTURED + 5);
  });

  it('a snapshot captured before a report keeps the captured list as it was', () => {
    const s = emptyState();
    start(s, 'run-a');
    op(s, captures('run-a', 'b1', ['e1']));
    const snap = captureState(s);
    op(s, captures('run-a', 'b2', ['e2']));
    const { rec, n } = snap.runs[0];
    const written = JSON.parse(recordJson(rec, n));
    expect(written.captured.map((c: { eventID: string }) => c.eventID)).toEqual(['e1']);
    expect(written.reportBatches).toEqual(['b1']);
  });

  it(`keeps the latest ${MAX_RUN_CHECKS} checks, replacing the list (a snapshot keeps the one it captured)`, () => {
    const s = emptyState();
    start(s, 'run-a');
    const check = (i: number) => op(s, { kind: 'run-check', runId: 'run-a', check: { checkedAt: i, spec: `s${i}`, passed: true, summary: { passed: 1, failed: 0 } } });
    for (let i = 0; i < MAX_RUN_CHECKS; i++) check(i);
    const snap = captureState(s);
    check(MAX_RUN_CHECKS);
    const checks = s.runs!['run-a'].checks;
    expect(checks).toHaveLength(MAX_RUN_CHECKS);
    expect(checks[0].checkedAt).toBe(1);
    expect(checks.at(-1)!.checkedAt).toBe(MAX_RUN_CHECKS);
    const written = JSON.parse(recordJson(snap.runs[0].rec, snap.runs[0].n));
    expect(written.checks[0].checkedAt).toBe(0);
    expect(written.checks.at(-1).checkedAt).toBe(MAX_RUN_CHECKS - 1);
  });
});
