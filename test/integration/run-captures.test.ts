// The capture reconciliation at the companion (issue 11): the extension's capture report of a
// run (POST /lab/runs/{runId}/captures) over HTTP, then POST /lab/check of the run: undelivered
// events named until they land, tracker rejections failing noRejected, kept across a restart.
import { describe, expect, it } from 'vitest';
import { MAX_RUN_CHECKS } from '../../protocol/runs';
import { api, spawnCompanion } from '../helpers/companion';
import { tempDirs } from '../helpers/temp-dirs';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';

const lab = useCompanion();
const dir = tempDirs();

async function startRun(name: string): Promise<string> {
  const res = await lab.http.post('/lab/runs', { name });
  expect(res.status).toBe(201);
  return res.body.runId as string;
}

const inRun = (runId: string) => ({ 'X-Lab-Run': runId });
const spec = { name: 'clean capture', noRejected: true, noUndelivered: true, noDuplicates: true };
const check = async (run: string, body: Record<string, unknown> = {}) => {
  const res = await lab.http.post('/lab/check', { spec, run, record: false, ...body });
  expect(res.status).toBe(200);
  return res.body as { passed: boolean; results: Array<{ place: string; passed: boolean; failure?: { message: string } }> };
};
const failureOf = (report: Awaited<ReturnType<typeof check>>, place: string) => report.results.find((r) => r.place === place)!;

describe('a run with a capture report', () => {
  it('names undelivered events until they are stored; a later delivery clears them', async () => {
    const run = await startRun('checkout');
    const v = visitCtx();
    const started = visitStarted(v);
    const entered = pageEntered(v, 'p1', 'http://shop.test/login');
    const sign = signIn(v, { email: 'pat@example.com' });
    await lab.http.post('/server/events', [started], inRun(run));
    // Before any report, undelivered is not known to the companion.
    expect(failureOf(await check(run), 'noUndelivered').failure!.message).toContain('not known to the companion');

    const captured = [started, entered, sign].map((e) => ({ eventID: e.eventID, eventName: e.eventName, visitId: e.visitID }));
    const answer = await lab.http.post(`/lab/runs/${run}/captures`, { batch: 'b1', captured });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ runId: run, captured: 3, rejected: 0, repeated: false });

    const before = await check(run);
    expect(before.passed).toBe(false);
    const message = failureOf(before, 'noUndelivered').failure!.message;
    expect(message).toContain('2 undelivered');
    expect(message).toContain(`SignIn ${sign.eventID} in visit ${v.visitID}`);
    expect(message).toContain(`PageEntered ${entered.eventID}`);
    expect(failureOf(before, 'noRejected').passed).toBe(true);
    expect((await lab.http.get(`/lab/runs/${run}`)).body.captures).toEqual({ captured: 3, undelivered: 2 });
    // A check of one visit names only that visit's.
    expect(failureOf(await check(run, { visitId: v.visitID }), 'noUndelivered').passed).toBe(false);

    await lab.http.post('/server/events', [entered, sign], inRun(run));
    const after = await check(run);
    expect(after.passed).toBe(true);
    expect((await lab.http.get(`/lab/runs/${run}`)).body.captures).toEqual({ captured: 3, undelivered: 0 });
  });

  it('fails noRejected naming a command the tracker rejected, with its page; counts exact, resends taken once; kept across a restart', async () => {
    const run = await startRun('rejections');
    const v = visitCtx();
    const started = visitStarted(v);
    await lab.http.post('/server/events', [started], inRun(run));
    const report = {
      batch: 'b-1',
      captured: [{ eventID: started.eventID, eventName: 'VisitStarted', visitId: v.visitID }],
      rejected: [{ by: 'tracker', eventName: 'event', visitId: v.visitID, url: 'http://shop.test/cart', reason: "['event', name]: the name must be a string" }],
      moreRejected: 2,
    };
    expect((await lab.http.post(`/lab/runs/${run}/captures`, report)).body).toEqual({ runId: run, captured: 1, rejected: 3, repeated: false });
    // The same batch again (its answer lost): nothing changes.
    expect((await lab.http.post(`/lab/runs/${run}/captures`, report)).body).toEqual({ runId: run, captured: 1, rejected: 3, repeated: true });

    const expectRejected = async () => {
      const failed = await check(run);
      expect(failed.passed).toBe(false);
      const message = failureOf(failed, 'noRejected').failure!.message;
      expect(message).toContain('the tracker rejected the command on http://shop.test/cart');
      expect(message).toContain('the name must be a string');
      expect(failureOf(failed, 'noUndelivered').passed).toBe(true);
      const resource = (await lab.http.get(`/lab/runs/${run}`)).body;
      expect(resource.counts.rejected).toBe(3);
      expect(resource.problems).toEqual([{ kind: 'rejected', by: 'tracker', eventName: 'event', visitId: v.visitID, url: 'http://shop.test/cart', reason: expect.stringContaining('the tracker rejected') }]);
      expect(resource.captures).toEqual({ captured: 1, undelivered: 0 });
    };
    await expectRejected();
    await lab.restart();
    await expectRejected();
    // The batches outlive the restart too.
    expect((await lab.http.post(`/lab/runs/${run}/captures`, report)).body.repeated).toBe(true);
  });

  it('does not count an event intake rejected as undelivered (it is rejected), nor a run with no report', async () => {
    const run = await startRun('intake rejected');
    const v = visitCtx();
    const bad = { ...visitStarted(v), timestamp: 'soon' };
    await lab.http.post('/server/events', [bad], inRun(run));
    await lab.http.post(`/lab/runs/${run}/captures`, { batch: 'x', captured: [{ eventID: bad.eventID, eventName: 'VisitStarted', visitId: v.visitID }] });
    const report = await check(run);
    expect(failureOf(report, 'noRejected').passed).toBe(false);
    expect(failureOf(report, 'noUndelivered').passed).toBe(true);
  });

  it('refuses a bad report with a 400 naming the field, noting nothing; an unknown run is a 404', async () => {
    const run = await startRun('bad reports');
    const bad: Array<[unknown, string]> = [
      [[], 'body'],
      [{ captured: [] }, 'batch'],
      [{ batch: 'b', color: 1 }, 'color'],
      [{ batch: 'b', captured: [{ eventName: 'x' }] }, 'captured[0].eventID'],
      [{ batch: 'b', captured: [{ eventID: 'x'.repeat(257) }] }, 'captured[0].eventID'],
      [{ batch: 'b', captured: Array.from({ length: 1001 }, (_, i) => ({ eventID: `e${i}` })) }, 'captured'],
      [{ batch: 'b', rejected: [{ by: 'page', reason: 'r' }] }, 'rejected[0].by'],
      [{ batch: 'b', rejected: [{ by: 'tracker' }] }, 'rejected[0].reason'],
      [{ batch: 'b', moreRejected: -1 }, 'moreRejected'],
    ];
    for (const [body, field] of bad) {
      const res = await lab.http.post(`/lab/runs/${run}/captures`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad_request', field });
    }
    expect((await lab.http.get(`/lab/runs/${run}`)).body.captures).toBeUndefined();
    const unknown = await lab.http.post('/lab/runs/run-nope/captures', { batch: 'b' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.field).toBe('runId');
  });

  it('keeps the latest checks of a run, not the first', async () => {
    const run = await startRun('many checks');
    for (let i = 0; i < MAX_RUN_CHECKS + 2; i++) {
      expect((await lab.http.post('/lab/check', { spec: { name: `check ${i}`, noDuplicates: true }, run })).status).toBe(200);
    }
    const checks = (await lab.http.get(`/lab/runs/${run}`)).body.checks as Array<{ spec: string }>;
    expect(checks).toHaveLength(MAX_RUN_CHECKS);
    expect(checks[0].spec).toBe('check 2');
    expect(checks.at(-1)!.spec).toBe(`check ${MAX_RUN_CHECKS + 1}`);
    await lab.restart();
    expect(((await lab.http.get(`/lab/runs/${run}`)).body.checks as Array<{ spec: string }>).at(-1)!.spec).toBe(`check ${MAX_RUN_CHECKS + 1}`);
  });
});

describe('a capture report after a crash', () => {
  it('is still there after a SIGKILL right after the answer (replayed from the journal)', async () => {
    const dataDir = dir();
    const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--snapshot-after', '100000000']);
    const http = api(first.url);
    const run = (await http.post('/lab/runs', { name: 'crash' })).body.runId as string;
    const report = { batch: 'k1', captured: [{ eventID: 'e-lost', eventName: 'SignIn', visitId: 'v-crash' }], rejected: [{ by: 'tracker', reason: 'bad', url: 'http://shop.test/' }] };
    expect((await http.post(`/lab/runs/${run}/captures`, report)).status).toBe(200);
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await spawnCompanion(['--port', '0', '--data', dataDir]);
    try {
      const again = api(second.url);
      const res = await again.post('/lab/check', { spec, run, record: false });
      expect(res.body.results.find((r: { place: string }) => r.place === 'noUndelivered').failure.message).toContain('SignIn e-lost in visit v-crash');
      expect(res.body.results.find((r: { place: string }) => r.place === 'noRejected').failure.message).toContain('the tracker rejected the command on http://shop.test/: bad');
      expect((await again.post(`/lab/runs/${run}/captures`, report)).body.repeated).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
