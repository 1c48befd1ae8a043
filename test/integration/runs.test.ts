// Runs over HTTP: starting, stopping, listing and reading runs; which run an intake request's
// events belong to (X-Lab-Run, else the active run, else none); the problems a run notes; two
// clients posting at once, each with its own run, never seeing each other's events.
import { describe, expect, it } from 'vitest';
import { recordRunCheck } from '../../companion/server/lab-runs';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, signIn, visitCtx, visitStarted, ev } from '../helpers/events';

const lab = useCompanion();

async function startRun(name: string, active?: boolean) {
  const res = await lab.http.post('/lab/runs', active === undefined ? { name } : { name, active });
  expect(res.status).toBe(201);
  return res.body as { runId: string; name: string; startedAt: number; stoppedAt: null; active: boolean };
}

const inRun = (runId: string) => ({ 'X-Lab-Run': runId });

describe('run resources', () => {
  it('starts a run (201 with its id), reads it with counts, stops it (twice is fine) and lists runs newest first', async () => {
    const before = Date.now();
    const run = await startRun('checkout, Chrome');
    expect(run).toEqual({ runId: expect.stringMatching(/^run-[A-Za-z0-9_-]+$/), name: 'checkout, Chrome', startedAt: expect.any(Number), stoppedAt: null, active: false });
    expect(run.startedAt).toBeGreaterThanOrEqual(before);
    const read = await lab.http.get(`/lab/runs/${run.runId}`);
    expect(read.body).toEqual({ ...run, counts: { visits: 0, events: 0, rejected: 0, duplicates: 0 }, visitIds: [], problems: [], checks: [] });

    const stopped = await lab.http.post(`/lab/runs/${run.runId}/stop`, undefined);
    expect(stopped.status).toBe(200);
    expect(stopped.body.stoppedAt).toBeGreaterThanOrEqual(run.startedAt);
    const again = await lab.http.post(`/lab/runs/${run.runId}/stop`, undefined);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(stopped.body);

    const second = await startRun('search, Firefox');
    const list = await lab.http.get('/lab/runs');
    expect(list.body.map((r: { runId: string }) => r.runId)).toEqual([second.runId, run.runId]);
  });

  it('lists the checks recorded against it, across a restart', async () => {
    const run = await startRun('checked');
    const report = { spec: 'remembered sign-in', passed: false, scope: { run: run.runId, visits: 1 }, results: [], summary: { passed: 2, failed: 1 } };
    await recordRunCheck(lab.companion.store, run.runId, report, 1234);
    await lab.restart();
    expect((await lab.http.get(`/lab/runs/${run.runId}`)).body.checks).toEqual([{ checkedAt: 1234, spec: 'remembered sign-in', passed: false, summary: { passed: 2, failed: 1 } }]);
  });

  it('pages the list with page_size and Paging-Next', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.unshift((await startRun(`run ${i}`)).runId);
    const first = await lab.http.get('/lab/runs?page_size=2');
    expect(first.body.map((r: { runId: string }) => r.runId)).toEqual(ids.slice(0, 2));
    const key = first.headers.get('paging-next')!;
    await startRun('started meanwhile'); // comes first: the next page is not shifted
    const second = await lab.http.get(`/lab/runs?page_size=2&page_key=${key}`);
    expect(second.body.map((r: { runId: string }) => r.runId)).toEqual(ids.slice(2, 4));
    const bad = await lab.http.get('/lab/runs?page_key=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('page_key');
    expect((await lab.http.get('/lab/runs?page_size=0')).body.field).toBe('page_size');
    expect((await lab.http.get('/lab/runs?sort=name')).body.field).toBe('sort');
  });

  it('refuses a start without a usable name, naming the field; nothing is made', async () => {
    for (const body of [{}, { name: '' }, { name: '   ' }, { name: 7 }, { name: 'x'.repeat(201) }]) {
      const res = await lab.http.post('/lab/runs', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request', field: 'name' });
    }
    expect((await lab.http.post('/lab/runs', { name: 'a', active: 'yes' })).body.field).toBe('active');
    expect((await lab.http.post('/lab/runs', { name: 'a', color: 'red' })).body.field).toBe('color');
    expect((await lab.http.post('/lab/runs', [{ name: 'a' }])).body.field).toBe('body');
    expect((await lab.http.get('/lab/runs')).body).toEqual([]);
  });

  it('answers 404 naming an unknown run in a path', async () => {
    for (const res of [await lab.http.get('/lab/runs/run-nope'), await lab.http.post('/lab/runs/run-nope/stop', undefined)]) {
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('run-nope');
    }
  });

  it('has one active run at a time: a second is 409 naming the first; stopping it frees the place', async () => {
    const first = await startRun('suite A', true);
    expect(first.active).toBe(true);
    const second = await lab.http.post('/lab/runs', { name: 'suite B', active: true });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'conflict', field: 'active' });
    expect(second.body.message).toContain(first.runId);
    expect((await startRun('not active')).active).toBe(false); // an inactive one is fine meanwhile
    expect((await lab.http.post(`/lab/runs/${first.runId}/stop`, undefined)).body.active).toBe(false);
    expect((await startRun('suite B', true)).active).toBe(true);
  });

  it('gives the active place to one of two starts asked for at once', async () => {
    const answers = await Promise.all([1, 2, 3].map((i) => lab.http.post('/lab/runs', { name: `suite ${i}`, active: true })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409]);
  });
});

describe('membership', () => {
  it('puts a request with X-Lab-Run in that run, else in the active run, else in none', async () => {
    const named = await startRun('named');
    const a = visitCtx();
    const aEvents = [visitStarted(a), pageEntered(a, 'p1')];
    expect((await lab.http.post('/server/events', aEvents, inRun(named.runId))).status).toBe(200);
    const b = visitCtx();
    await lab.http.post('/server/events', [visitStarted(b)]); // no run yet
    const active = await startRun('active', true);
    const c = visitCtx();
    const cEvents = [visitStarted(c), signIn(c, { email: 'pat@example.com' })];
    await lab.http.post('/server/events', cEvents);
    // The header wins over the active run.
    const late = pageEntered(a, 'p2');
    await lab.http.post('/server/events', [late], inRun(named.runId));

    const n = (await lab.http.get(`/lab/runs/${named.runId}`)).body;
    expect(n.visitIds).toEqual([a.visitID]);
    expect(n.counts).toEqual({ visits: 1, events: 3, rejected: 0, duplicates: 0 });
    const act = (await lab.http.get(`/lab/runs/${active.runId}`)).body;
    expect(act.visitIds).toEqual([c.visitID]);
    expect(act.counts.events).toBe(2);
  });

  it('a stopped run still takes events sent with its header (they were on their way)', async () => {
    const run = await startRun('stopped');
    await lab.http.post(`/lab/runs/${run.runId}/stop`, undefined);
    const a = visitCtx();
    expect((await lab.http.post('/server/events', [visitStarted(a)], inRun(run.runId))).status).toBe(200);
    expect((await lab.http.get(`/lab/runs/${run.runId}`)).body.counts.events).toBe(1);
  });

  it('refuses an unknown run header with a 400 naming it, storing nothing', async () => {
    const a = visitCtx();
    const res = await lab.http.post('/server/events', [visitStarted(a)], inRun('run-unknown'));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad_request', field: 'X-Lab-Run' });
    expect((await lab.http.get(`/server/data/visits/${a.visitID}`)).status).toBe(404);
  });

  it('notes the rejections and duplicates of its requests as problems; only stored events are members', async () => {
    const run = await startRun('problems');
    const a = visitCtx();
    const started = visitStarted(a);
    await lab.http.post('/server/events', [started], inRun(run.runId));
    const bad = { ...ev(a, 'PageEntered', { pageID: 'p1' }), timestamp: 'yesterday' };
    const res = await lab.http.post('/server/events', [started, bad, pageEntered(a, 'p2')], inRun(run.runId));
    expect(res.body).toMatchObject({ accepted: 1, duplicate: 1, rejected: 1 });
    const body = (await lab.http.get(`/lab/runs/${run.runId}`)).body;
    expect(body.counts).toEqual({ visits: 1, events: 2, rejected: 1, duplicates: 1 });
    expect(body.problems).toEqual([
      { kind: 'duplicate', eventID: started.eventID, eventName: 'VisitStarted', visitId: a.visitID },
      { kind: 'rejected', eventID: bad.eventID, eventName: 'PageEntered', visitId: a.visitID, reason: expect.stringContaining('timestamp') },
    ]);
  });

  it('keeps the first 100 problems while the counts stay exact', async () => {
    const run = await startRun('many problems');
    const a = visitCtx();
    const bad = Array.from({ length: 150 }, (_, i) => ({ eventID: `bad-${i}`, eventName: 'PageEntered', visitID: a.visitID }));
    await lab.http.post('/server/events', bad, inRun(run.runId));
    await lab.http.post('/server/events', bad.slice(0, 10), inRun(run.runId));
    const body = (await lab.http.get(`/lab/runs/${run.runId}`)).body;
    expect(body.counts.rejected).toBe(160);
    expect(body.problems).toHaveLength(100);
  });
});

describe('two suites at once', () => {
  it('each with its own run sees only its events: in the run, in the export (json, har, csv)', async () => {
    const [runA, runB] = await Promise.all([startRun('suite A'), startRun('suite B')]);
    const suite = (runId: string) => {
      const visits = Array.from({ length: 3 }, () => visitCtx());
      const sent: string[] = [];
      return {
        visits,
        sent,
        async go() {
          for (let i = 0; i < 10; i++) {
            const batch = visits.flatMap((v) => (i === 0 ? [visitStarted(v)] : [pageEntered(v, `p${i}`)]));
            sent.push(...batch.map((e) => e.eventID));
            const res = await lab.http.post('/server/events', batch, inRun(runId));
            expect(res.body.accepted).toBe(batch.length);
          }
        },
      };
    };
    const a = suite(runA.runId);
    const b = suite(runB.runId);
    await Promise.all([a.go(), b.go()]);
    for (const [run, s] of [[runA, a], [runB, b]] as const) {
      const body = (await lab.http.get(`/lab/runs/${run.runId}`)).body;
      expect(body.visitIds.sort()).toEqual(s.visits.map((v) => v.visitID).sort());
      expect(body.counts.events).toBe(30);
      const json = (await lab.http.get(`/lab/export?run=${run.runId}`)).body;
      expect(json.scope).toEqual({ run: run.runId });
      const exported = json.requests.flatMap((r: { events: { eventID: string }[] }) => r.events.map((e) => e.eventID));
      expect(exported.sort()).toEqual(s.sent.slice().sort());
      const har = (await lab.http.get(`/lab/export?run=${run.runId}&format=har`)).body;
      const harIds = har.log.entries.flatMap((e: { request: { postData: { text: string } } }) => JSON.parse(e.request.postData.text).map((x: { eventID: string }) => x.eventID));
      expect(harIds.sort()).toEqual(s.sent.slice().sort());
      const csv = (await lab.http.get(`/lab/export?run=${run.runId}&format=csv`)).body as string;
      expect(csv.trim().split('\n')).toHaveLength(31);
      for (const id of s.sent) expect(csv).toContain(id);
    }
  });

  it("exports a visit with only its events in the run when another run also had events in it", async () => {
    const [runA, runB] = await Promise.all([startRun('A'), startRun('B')]);
    const v = visitCtx();
    const mine = [visitStarted(v), pageEntered(v, 'p1')];
    const theirs = pageEntered(v, 'p2');
    await lab.http.post('/server/events', mine, inRun(runA.runId));
    await lab.http.post('/server/events', [theirs], inRun(runB.runId));
    const json = (await lab.http.get(`/lab/export?run=${runA.runId}`)).body;
    expect(json.requests.flatMap((r: { events: { eventID: string }[] }) => r.events.map((e) => e.eventID))).toEqual(mine.map((e) => e.eventID));
  });

  it('refuses export and reset of an unknown run (404 naming it) and a run with visitId (400)', async () => {
    for (const res of [await lab.http.get('/lab/export?run=run-nope'), await lab.http.post('/lab/reset?run=run-nope', undefined)]) {
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'not_found', field: 'run' });
    }
    const run = await startRun('x');
    expect((await lab.http.get(`/lab/export?run=${run.runId}&visitId=v1`)).body.field).toBe('run');
    expect((await lab.http.get('/lab/export?run=')).body.field).toBe('run');
    expect((await lab.http.post('/lab/reset?run=', undefined)).body.field).toBe('run');
  });
});
