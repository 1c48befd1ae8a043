// POST /lab/check with `record: false`: the web app's live checklist re-checks a run on every
// change, and those looks must not fill the run's checks (the latest 100 are kept) and push the
// real checks out. Anything but a boolean is a 400 naming `record`, and nothing is noted then.
import { expect, it } from 'vitest';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, visitCtx, visitStarted } from '../helpers/events';

const lab = useCompanion();
const SPEC = { name: 'home', visits: [{ steps: [{ event: 'PageEntered', url: '/' }] }] };

it('a check with record: false answers the report and notes nothing on the run; without it, it is noted', async () => {
  const runId = (await lab.http.post('/lab/runs', { name: 'live look' })).body.runId as string;
  const c = visitCtx();
  expect((await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1', 'http://shop.test/')], { 'X-Lab-Run': runId })).status).toBe(200);
  const look = await lab.http.post('/lab/check', { spec: SPEC, run: runId, record: false });
  expect(look.status).toBe(200);
  expect(look.body).toMatchObject({ passed: true, scope: { run: runId, visits: 1 } });
  expect((await lab.http.get(`/lab/runs/${runId}`)).body.checks).toEqual([]);

  expect((await lab.http.post('/lab/check', { spec: SPEC, run: runId, record: 'no' })).body).toMatchObject({ error: 'bad_request', field: 'record' });
  expect((await lab.http.get(`/lab/runs/${runId}`)).body.checks).toEqual([]);

  expect((await lab.http.post('/lab/check', { spec: SPEC, run: runId, record: true })).status).toBe(200);
  expect((await lab.http.post('/lab/check', { spec: SPEC, run: runId })).status).toBe(200);
  expect((await lab.http.get(`/lab/runs/${runId}`)).body.checks).toHaveLength(2);
});
