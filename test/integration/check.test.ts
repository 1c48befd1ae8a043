// POST /lab/check over HTTP: events sent to the companion as the tracker sends them, then a spec
// checked against everything, a visit or a run; a report whether it passes or not; a bad spec
// is a 400 naming its place.
import { describe, expect, it } from 'vitest';
import type { GtEvent } from '../../protocol';
import type { CheckReport, StepFailure } from '../../protocol/expectations';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, signIn, signOut, userInfo, visitCtx, visitStarted, type VisitCtx } from '../helpers/events';
import { ISSUE_SPEC } from '../unit/expectations/issue-spec';

const lab = useCompanion();

async function send(events: GtEvent[], headers: Record<string, string> = {}) {
  const res = await lab.http.post('/server/events', events, headers);
  expect(res.status).toBe(200);
  return res.body;
}

/** The issue's story: sign in at /login, sign out, remembered by UserInfo. */
function rememberedSignIn(c: VisitCtx, email = 'pat@example.com'): GtEvent[] {
  return [visitStarted(c), pageEntered(c, 'p1', 'http://shop.test/login'), signIn(c, { email }), pageEntered(c, 'p2', 'http://shop.test/account'), signOut(c, 'p2'), userInfo(c, email, 'p2')];
}

async function check(body: unknown): Promise<CheckReport> {
  const res = await lab.http.post('/lab/check', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as CheckReport;
}

describe('POST /lab/check', () => {
  it('passes the issue\'s spec on a visit sent over HTTP, naming the visit that met it', async () => {
    const c = visitCtx();
    await send(rememberedSignIn(c));
    const other = visitCtx();
    await send([visitStarted(other), pageEntered(other, 'p1', 'http://shop.test/')]);
    const report = await check({ spec: ISSUE_SPEC });
    expect(report).toMatchObject({ spec: 'remembered sign-in', passed: true, scope: { visits: 2 }, summary: { passed: 2, failed: 0 } });
    expect(report.results[0]).toEqual({ place: 'visits[0]', name: 'visit 1', passed: true, visitId: c.visitID, stepsMet: 7 });
  });

  it('fails with a report a person can act on when SignIn stops being sent (200: passed false)', async () => {
    const c = visitCtx();
    await send(rememberedSignIn(c).filter((e) => e.eventName !== 'SignIn'));
    const report = await check({ spec: ISSUE_SPEC });
    expect(report.passed).toBe(false);
    const failure = report.results[0].failure as StepFailure;
    expect(failure).toMatchObject({ place: 'visits[0].steps[2]', step: { event: 'SignIn', data: { email: 'pat@example.com' } }, closestVisitId: c.visitID, stepsMet: 2 });
    expect(failure.message).toContain(`the closest visit ${c.visitID} met steps 1-2; after its PageEntered /login (Anonymous) came PageEntered /account (Anonymous), SignOut (Anonymous), UserInfo (Recognized); no SignIn`);
    expect(failure.found.map((f) => f.eventName)).toEqual(['PageEntered', 'PageEntered', 'SignOut', 'UserInfo']);
    expect(report.results[1]).toMatchObject({ place: 'identities[0]', passed: true }); // UserInfo alone recognises pat
  });

  it('checks one visit with visitId; an unknown visit is a 404', async () => {
    const a = visitCtx();
    const b = visitCtx();
    await send([...rememberedSignIn(a), visitStarted(b), pageEntered(b, 'p1', 'http://shop.test/')]);
    const spec = { visits: [{ steps: [{ event: 'SignIn' }] }] };
    expect((await check({ spec, visitId: a.visitID })).passed).toBe(true);
    const onB = await check({ spec, visitId: b.visitID });
    expect(onB).toMatchObject({ passed: false, scope: { visitId: b.visitID, visits: 1 } });
    const res = await lab.http.post('/lab/check', { spec, visitId: 'nope' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found', field: 'visitId' });
  });

  it('refuses a bad spec with 400 naming its place under spec.', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ spec: { visits: [{ steps: [{ event: 'A' }, { event: 'B' }, { url: '/x' }] }] } }, 'spec.visits[0].steps[2]', 'a step needs one of event, state or count'],
      [{ spec: { visits: [{ steps: [{ event: 'A', url: { re: '(a+)+' } }] }] } }, 'spec.visits[0].steps[0].url.re', 'exponential time'],
      [{ spec: { visits: [{ steps: [{ state: 'LoggedIn' }] }] } }, 'spec.visits[0].steps[0].state', 'must be a visitor state'],
      [{ spec: { identities: [{ visits: 1 }] } }, 'spec.identities[0].identityId', 'needs the identityId'],
      [{ spec: [] }, 'spec', 'a spec must be an object'],
      [{}, 'spec', 'is required'],
      [{ spec: ISSUE_SPEC, runId: 'x' }, 'runId', 'is not a field of a check'],
      [{ spec: ISSUE_SPEC, run: 3 }, 'run', 'must be a non-empty string'],
      [[ISSUE_SPEC], 'body', 'must be a JSON object'],
    ];
    for (const [body, field, reason] of cases) {
      const res = await lab.http.post('/lab/check', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request', field });
      expect(res.body.message).toContain(reason);
    }
    const notJson = await lab.http.post('/lab/check', '{"spec":');
    expect(notJson.body).toMatchObject({ error: 'bad_request', field: 'body' });
    expect((await lab.http.post('/lab/check?run=x', { spec: ISSUE_SPEC })).status).toBe(400);
  });
});

describe('POST /lab/check with a run', () => {
  async function startRun(name: string): Promise<string> {
    const res = await lab.http.post('/lab/runs', { name });
    expect(res.status).toBe(201);
    return res.body.runId;
  }

  it('checks only the run\'s visits and notes the outcome on the run', async () => {
    const runId = await startRun('sign-in, Chrome');
    const mine = visitCtx();
    await send(rememberedSignIn(mine), { 'X-Lab-Run': runId });
    const outside = visitCtx();
    await send(rememberedSignIn(outside)); // meets the spec too, but is not the run's
    const spec = { ...ISSUE_SPEC, visits: [ISSUE_SPEC.visits[0], ISSUE_SPEC.visits[0]], identities: [] };
    const report = await check({ spec, run: runId });
    expect(report.scope).toEqual({ run: runId, visits: 1 });
    expect(report.results.map((r) => r.passed)).toEqual([true, false]); // one run visit cannot meet both
    expect(report.results[0].visitId).toBe(mine.visitID);
    expect((await check({ spec })).passed).toBe(true); // everything holds both visits

    const oneVisit = await check({ spec: ISSUE_SPEC, run: runId, visitId: mine.visitID });
    expect(oneVisit).toMatchObject({ passed: true, scope: { run: runId, visitId: mine.visitID, visits: 1 } });
    // A bad spec is refused before anything is noted on the run.
    expect((await lab.http.post('/lab/check', { spec: { visits: [{ steps: [] }] }, run: runId })).status).toBe(400);

    const run = await lab.http.get(`/lab/runs/${runId}`);
    expect(run.body.checks).toEqual([
      { checkedAt: expect.any(Number), spec: 'remembered sign-in', passed: false, summary: { passed: 1, failed: 1 } },
      { checkedAt: expect.any(Number), spec: 'remembered sign-in', passed: true, summary: { passed: 2, failed: 0 } },
    ]);
    await lab.restart(); // noted durably: a restart keeps the run's checks
    expect((await lab.http.get(`/lab/runs/${runId}`)).body.checks).toEqual(run.body.checks);
  });

  it('noDuplicates and noRejected read the run\'s problems; noUndelivered is not known to the companion', async () => {
    const runId = await startRun('duplicates');
    const c = visitCtx();
    const started = visitStarted(c);
    await send([started, pageEntered(c, 'p1')], { 'X-Lab-Run': runId });
    const spec = { name: 'clean', noRejected: true, noDuplicates: true };
    expect((await check({ spec, run: runId })).passed).toBe(true);
    await send([started], { 'X-Lab-Run': runId }); // sent twice
    const report = await check({ spec: { ...spec, noUndelivered: true }, run: runId });
    expect(report.results.map((r) => [r.place, r.passed])).toEqual([['noRejected', true], ['noUndelivered', false], ['noDuplicates', false]]);
    expect((report.results[2].failure as { message: string }).message).toContain(`VisitStarted ${started.eventID}`);
    // Without a run, rejections and duplicates are not known: the report says where to look.
    const everything = await check({ spec });
    expect((everything.results[0].failure as { message: string }).message).toContain('check a run');
  });

  it('answers 404 for an unknown run, and for a visit that is not the run\'s', async () => {
    const runId = await startRun('empty');
    const c = visitCtx();
    await send([visitStarted(c), ev(c, 'AddToCart', { pageID: 'p0' })]);
    const unknown = await lab.http.post('/lab/check', { spec: ISSUE_SPEC, run: 'run-nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'not_found', field: 'run' });
    const notIn = await lab.http.post('/lab/check', { spec: ISSUE_SPEC, run: runId, visitId: c.visitID });
    expect(notIn.status).toBe(404);
    expect(notIn.body.field).toBe('visitId');
    const empty = await check({ spec: ISSUE_SPEC, run: runId });
    expect((empty.results[0].failure as StepFailure).message).toContain('no visit in scope');
  });
});
