// The OpenAPI document against the runs' and the check's real answers (issue 11): a run started,
// refused (400, 409), fed (X-Lab-Run), listed, read, checked (a report that passed, one that
// failed, a wrong spec), stopped, exported and forgotten, each answer conforming to the schema
// documented for its status; and the spec's schema agreeing with the parser on what is a spec.
import { beforeAll, describe, expect, it } from 'vitest';
import { api } from '../helpers/companion';
import { pageEntered, visitCtx, visitStarted } from '../helpers/events';
import { conforms, requestConforms, validator } from '../helpers/openapi';
import { useCompanion } from '../helpers/use-companion';

const NOBODY = 'run-nobody';

describe('the document against what the runs and the check answer', () => {
  const lab = useCompanion({}, 'all');
  let doc: any;
  beforeAll(async () => {
    doc = (await api(lab.companion.url).get('/lab/openapi.json')).body;
  });

  it('documents ?run= on export and reset, and the X-Lab-Run header of intake', () => {
    const names = (op: any, where: string) => op.parameters.filter((p: { in: string }) => p.in === where).map((p: { name: string }) => p.name);
    expect(names(doc.paths['/lab/export'].get, 'query')).toContain('run');
    expect(names(doc.paths['/lab/reset'].post, 'query')).toEqual(['run']);
    expect(names(doc.paths['/server/events'].post, 'header')).toEqual(['X-Lab-Run']);
    expect(doc.paths['/lab/runs'].post.responses['409']).toBeDefined();
  });

  it('describes the real answers: each conforms to the schema documented for its status', async () => {
    const { http } = lab;
    const r = visitCtx('oa-run-visit');
    const events = [visitStarted(r), pageEntered(r, 'p1')];
    let runId = '';
    const header = () => ({ 'X-Lab-Run': runId });
    const passing = { name: 'run ok', visits: [{ steps: [{ event: 'VisitStarted' }, { event: 'PageEntered', url: { re: '/p1$' } }, { state: 'Anonymous' }, { count: 1, event: 'PageEntered' }] }] };
    const failing = { name: 'run not ok', visits: [{ steps: [{ event: 'VisitStarted' }, { event: 'SignIn' }] }], identities: [{ identityId: 'pat@shop.test' }], noRejected: true };
    const badSpec = { visits: [{ steps: [{ event: 'A' }, { event: 'B' }, { event: 'C', url: { re: '(a+)+' } }] }] };
    const bodies: [string, string, unknown][] = [];
    const post = (path: string, body: unknown, headers?: Record<string, string>) => {
      bodies.push([path.replace(/\?.*/, ''), 'post', body]);
      return http.post(path, body, headers);
    };
    const checks: [string, string, () => Promise<{ status: number; body: any }>][] = [
      ['/lab/runs', 'post', () => post('/lab/runs', { name: 'oa run', active: true }).then((res) => ((runId = res.body.runId), res))],
      ['/lab/runs', 'post', () => post('/lab/runs', { name: 'second', active: true })],
      ['/lab/runs', 'post', () => http.post('/lab/runs', { name: 'third', colour: 'red' })],
      ['/server/events', 'post', () => http.post('/server/events', events)],
      ['/server/events', 'post', () => http.post('/server/events', events.slice(1), header())],
      ['/server/events', 'post', () => http.post('/server/events', [{ eventType: 'NOPE', eventName: 'Bad', visitID: r.visitID }], header())],
      ['/server/events', 'post', () => http.post('/server/events', [pageEntered(r, 'p2')], { 'X-Lab-Run': NOBODY })],
      ['/lab/runs', 'get', () => http.get('/lab/runs')],
      ['/lab/check', 'post', () => post('/lab/check', { spec: passing, run: runId })],
      ['/lab/check', 'post', () => post('/lab/check', { spec: failing, run: runId })],
      ['/lab/check', 'post', () => http.post('/lab/check', { spec: badSpec })],
      ['/lab/check', 'post', () => post('/lab/check', { spec: passing, run: NOBODY })],
      ['/lab/check', 'post', () => post('/lab/check', { spec: passing, visitId: r.visitID })],
      ['/lab/runs/{runId}', 'get', () => http.get(`/lab/runs/${runId}`)],
      ['/lab/runs/{runId}', 'get', () => http.get(`/lab/runs/${NOBODY}`)],
      ['/lab/runs/{runId}/stop', 'post', () => http.post(`/lab/runs/${runId}/stop`, '')],
      ['/lab/runs/{runId}/stop', 'post', () => http.post(`/lab/runs/${NOBODY}/stop`, '')],
      ['/lab/export', 'get', () => http.get(`/lab/export?run=${runId}`)],
      ['/lab/export', 'get', () => http.get(`/lab/export?run=${NOBODY}`)],
      ['/lab/reset', 'post', () => http.post(`/lab/reset?run=${runId}`, '')],
      ['/lab/reset', 'post', () => http.post(`/lab/reset?run=${NOBODY}`, '')],
    ];
    const answers: { status: number; body: any }[] = [];
    const problems: string[] = [];
    // One after another: each reads what the ones before it did.
    for (const [path, method, answer] of checks) {
      const res = await answer();
      answers.push(res);
      const verdict = conforms(doc, path, method, res.status, res.body);
      if (verdict !== 'conforms') problems.push(verdict);
    }
    expect(answers.map((a, i) => `${checks[i][1]} ${checks[i][0]} ${a.status}`)).toEqual([
      'post /lab/runs 201', 'post /lab/runs 409', 'post /lab/runs 400',
      'post /server/events 200', 'post /server/events 200', 'post /server/events 400', 'post /server/events 400',
      'get /lab/runs 200', 'post /lab/check 200', 'post /lab/check 200', 'post /lab/check 400', 'post /lab/check 404', 'post /lab/check 200',
      'get /lab/runs/{runId} 200', 'get /lab/runs/{runId} 404', 'post /lab/runs/{runId}/stop 200', 'post /lab/runs/{runId}/stop 404',
      'get /lab/export 200', 'get /lab/export 404', 'post /lab/reset 200', 'post /lab/reset 404',
    ]);
    expect(problems).toEqual([]);
    // The answers held what the schemas were meant to be tried on.
    const [, conflict, unknownField, , duplicate, , unknownRun, , passed, failed, wrong, , , run] = answers;
    expect(conflict.body.field).toBe('active');
    expect(unknownField.body.field).toBe('colour');
    expect(duplicate.body.duplicate).toBe(1);
    expect(unknownRun.body.field).toBe('X-Lab-Run');
    expect(passed.body.passed).toBe(true);
    expect(failed.body.passed).toBe(false);
    expect(failed.body.results.map((x: any) => Object.keys(x.failure ?? {}).sort())).toEqual([
      ['closestVisitId', 'found', 'message', 'place', 'step', 'stepsMet'],
      ['message'],
      ['message'],
    ]);
    expect(failed.body.results[0].failure.found.length).toBeGreaterThan(0);
    expect(wrong.body).toMatchObject({ error: 'bad_request', field: 'spec.visits[0].steps[2].url.re' });
    expect(run.body.problems.map((p: any) => p.kind)).toEqual(['duplicate', 'rejected']);
    expect(run.body.checks.map((c: any) => c.passed)).toEqual([true, false]);
    expect(answers[17].body.scope).toEqual({ run: runId });
    expect(answers[19].body).toEqual({ status: 'reset', run: runId });
    // And what was sent is what the document says the routes take.
    expect(bodies.map(([path, method, body]) => requestConforms(doc, path, method, body)).filter((v) => v !== 'conforms')).toEqual([]);
  });

  it("agrees with the spec's parser: what the route refuses the schema refuses, what it takes the schema takes", async () => {
    const check = validator(doc, { $ref: '#/components/schemas/CheckRequest' });
    const wrong = [
      { visits: [{ steps: [{ event: 'A', URL: '/x' }] }] },
      { visits: [{ steps: [] }] },
      { visits: [{ steps: [{ state: 'Known' }] }] },
      { visits: [{ steps: [{ state: 'Anonymous', event: 'A' }] }] },
      { visits: [{ steps: [{ count: -1, event: 'A' }] }] },
      { visits: [{ steps: [{ event: '' }] }] },
      { visits: [{ name: 'v', steps: [{ event: 'A' }], colour: 1 }] },
      { identities: [{ identityId: 'pat@shop.test', visitScope: 'Anonymous' }] },
      { identities: [{ visits: 1 }] },
      { noRejected: 'yes' },
      { noRejected: true, colour: 1 },
    ];
    const right = [
      { visits: [{ steps: [{ event: { re: '^Page' }, url: '/p1', title: { re: 'P' }, data: { title: 'Page p1', n: { re: '1' } }, eventType: 'SYSTEM', timezoneOffset: 60, visitorState: 'Anonymous' }] }] },
      { visits: [{ name: 'counted', steps: [{ count: 0, event: 'SignIn' }, { state: 'Anonymous' }] }], noDuplicates: true, noUndelivered: false },
      { identities: [{ identityId: 'pat@shop.test', visitScope: 'Recognized', visits: 0 }] },
    ];
    const verdicts: string[] = [];
    for (const spec of [...wrong, ...right]) {
      const res = await lab.http.post('/lab/check', { spec });
      verdicts.push(`${res.status} ${check.safeParse({ spec }).success ? 'takes' : 'refuses'}`);
    }
    expect(verdicts).toEqual([...wrong.map(() => '400 refuses'), ...right.map(() => '200 takes')]);
  });

  it('tells a wrong answer from a right one (the run and report schemas are not empty promises)', () => {
    const schema = (name: string) => validator(doc, { $ref: `#/components/schemas/${name}` });
    const summary = { runId: 'run-abc', name: 'n', startedAt: 1, stoppedAt: null, active: true };
    expect(schema('RunSummary').safeParse(summary).success).toBe(true);
    expect(schema('RunSummary').safeParse({ ...summary, runId: 'abc' }).success).toBe(false);
    expect(schema('RunResource').safeParse(summary).success).toBe(false);
    expect(schema('RunStart').safeParse({ name: 'n' }).success).toBe(true);
    expect(schema('RunStart').safeParse({ name: '' }).success).toBe(false);
    expect(schema('RunStart').safeParse({ name: 'n', active: 'yes' }).success).toBe(false);
    const report = { spec: 's', passed: true, scope: { visits: 0 }, results: [], summary: { passed: 0, failed: 0 } };
    expect(schema('CheckReport').safeParse(report).success).toBe(true);
    expect(schema('CheckReport').safeParse({ ...report, scope: {} }).success).toBe(false);
    expect(schema('CheckReport').safeParse({ ...report, results: [{ place: 'visits[0]', passed: false }] }).success).toBe(false);
  });
});
