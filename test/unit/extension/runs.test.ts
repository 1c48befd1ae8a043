// A run in this browser (worker/runs.ts) against a real companion over loopback HTTP: start and
// stop put deliveries in and out of the run, and events waiting in the outbox keep the run they
// were captured under (a stop does not move them out of it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunAnswer, RunView } from '../../../extension/shared/messages';
import { CompanionLink } from '../../../extension/worker/companion';
import { Courier } from '../../../extension/worker/delivery';
import { Outbox } from '../../../extension/worker/outbox';
import type { Worker } from '../../../extension/worker/router';
import { clearRun, runView, startRun, stopRun } from '../../../extension/worker/runs';
import { settingsStore } from '../../../extension/worker/settings';
import { api, removeDir, testCompanion, type Api, type TestCompanion } from '../../helpers/companion';
import { pageEntered, visitCtx, visitStarted } from '../../helpers/events';
import { memoryArea } from './memory-area';

let companion: TestCompanion;
let http: Api;
beforeAll(async () => {
  companion = await testCompanion();
  http = api(companion.url);
});
afterAll(async () => {
  await companion.close();
  removeDir(companion.dataDir);
});

/** The worker's parts runs.ts uses, on memory storage, pointed at the companion. */
function worker(url = companion.url, preset?: { runId: string }): Worker & { sent: Array<string | null> } {
  const settings = settingsStore(memoryArea(), async () => ({ companionUrl: url, ...preset }));
  const outbox = new Outbox(memoryArea());
  const link = new CompanionLink(settings);
  const sent: Array<string | null> = [];
  const courier = new Courier({
    outbox,
    endpoint: () => link.endpoint(),
    report: async () => {},
    fetch: (async (input: string, init: RequestInit) => {
      sent.push((init.headers as Record<string, string>)['x-lab-run'] ?? null);
      return fetch(input, init);
    }) as typeof fetch,
  });
  return { settings, outbox, courier, companion: link, log: null as never, syncSites: async () => {}, checkCompanion: async () => {}, sent };
}

const ok = (a: RunAnswer): RunView => {
  if (!a.ok) throw new Error(a.error);
  return a.view;
};

describe('a run started and stopped from this browser', () => {
  it('start: a run at the companion, named, that the settings name; its counts are read back', async () => {
    const w = worker();
    const view = ok(await startRun(w, '  checkout, Chrome  '));
    expect(view.runId).toMatch(/^run-/);
    expect((await w.settings.get()).runId).toBe(view.runId);
    expect(view.run).toMatchObject({ name: 'checkout, Chrome', stoppedAt: null, counts: { events: 0 } });
    const listed = await http.get(`/lab/runs/${view.runId}`);
    expect(listed.body.name).toBe('checkout, Chrome');
    // A second start while one is on is refused, without asking the companion.
    expect(await startRun(w, 'another')).toEqual({ ok: false, error: 'a run is on in this browser: stop it first' });
  });

  it('refuses an empty or too long name, naming the field', async () => {
    const w = worker();
    expect(await startRun(w, '   ')).toMatchObject({ ok: false, field: 'name' });
    expect(await startRun(w, 'x'.repeat(201))).toMatchObject({ ok: false, field: 'name' });
    expect((await w.settings.get()).runId).toBe('');
  });

  it('events captured during the run keep it when they are delivered after the stop; later ones are in no run', async () => {
    const w = worker();
    const { runId } = ok(await startRun(w, 'kept'));
    const c = visitCtx();
    // Captured during the run (the router stamps the settings' run), not yet delivered.
    await w.outbox.add([visitStarted(c), pageEntered(c, 'p1')], 1, (await w.settings.get()).runId);
    // Added without a run (a page exit from a closed tab): stamped with the run at the stop.
    await w.outbox.add([pageEntered(c, 'p2')], null);
    const stopped = ok(await stopRun(w));
    expect(stopped.runId).toBe('');
    expect((await w.settings.get()).runId).toBe('');
    await w.outbox.add([pageEntered(c, 'p3')], 1, '');
    await w.courier.flush(true);
    expect(await w.outbox.size()).toBe(0);
    // One request per run: the run's three, then the one after it.
    expect(w.sent.filter(Boolean)).toEqual([runId]);
    expect(w.sent.at(-1)).toBeNull();
    const run = await http.get(`/lab/runs/${runId}`);
    expect(run.body).toMatchObject({ counts: { events: 3, visits: 1 } });
    expect(run.body.stoppedAt).toBeGreaterThan(0);
    const events = await http.get(`/server/data/visits/${c.visitID}/events`);
    expect(events.body).toHaveLength(4);
  });

  it('a run set by a preset shows the same way, with its events waiting', async () => {
    const started = await http.post('/lab/runs', { name: 'from a suite' });
    const w = worker(companion.url, { runId: started.body.runId });
    const c = visitCtx();
    await w.outbox.add([visitStarted(c)], 1);
    const view = await runView(w);
    expect(view).toMatchObject({ runId: started.body.runId, waiting: 1, run: { name: 'from a suite', counts: { events: 0 } } });
  });

  it('a run the companion forgot is said plainly; clearing it sends its waiting events in no run', async () => {
    const w = worker();
    const { runId } = ok(await startRun(w, 'forgotten'));
    expect((await http.post(`/lab/reset?run=${runId}`, undefined)).status).toBe(200);
    const c = visitCtx();
    await w.outbox.add([visitStarted(c)], 1, runId);
    await w.courier.flush(true);
    // The companion refuses the unknown run: the event waits.
    expect(await w.outbox.size()).toBe(1);
    expect(await runView(w)).toMatchObject({ runId, run: null, problem: 'gone', waiting: 1, error: expect.stringMatching(/no longer knows this run/) });
    expect(await stopRun(w)).toMatchObject({ ok: false, problem: 'gone' });
    ok(await clearRun(w));
    expect((await w.settings.get()).runId).toBe('');
    await w.courier.flush(true);
    expect(await w.outbox.size()).toBe(0);
    expect((await http.get(`/server/data/visits/${c.visitID}/events`)).body).toHaveLength(1);
  });

  it('an unreachable companion: start fails saying so, and nothing changes', async () => {
    const w = worker('http://127.0.0.1:9');
    expect(await startRun(w, 'nowhere')).toMatchObject({ ok: false, problem: 'unreachable', error: expect.stringMatching(/unreachable.*no run was started/) });
    expect((await w.settings.get()).runId).toBe('');
  });

  it('a companion under --auth without the credentials: said as the 401 it is', async () => {
    const locked = await testCompanion({ auth: 'u:p' });
    try {
      const w = worker(locked.url);
      expect(await startRun(w, 'locked')).toMatchObject({ ok: false, problem: 'auth', error: expect.stringMatching(/asks for credentials/) });
    } finally {
      await locked.close();
      removeDir(locked.dataDir);
    }
  });
});

describe('Outbox: each waiting event keeps its run', () => {
  it('stores the run with the item (another worker life reads it), and a batch holds one run only', async () => {
    const area = memoryArea();
    const c = visitCtx();
    const first = new Outbox(area);
    await first.add([visitStarted(c)], 1, 'run-a');
    await first.add([pageEntered(c, 'p1')], 1, '');
    await first.add([pageEntered(c, 'p2')], null); // unstamped: the settings' run when sent
    await first.add([pageEntered(c, 'p3')], 1, 'run-a');
    const again = new Outbox(area);
    expect((await again.all()).map((i) => i.runId)).toEqual(['run-a', '', undefined, 'run-a']);
    // In order, a batch per run: the unstamped one goes with the current run ('').
    expect((await again.take(100, 1e6, '')).map((i) => i.runId)).toEqual(['run-a']);
    expect((await again.take(100, 1e6, '')).map((i) => i.runId)).toEqual(['', undefined]);
    expect((await again.take(100, 1e6, '')).map((i) => i.runId)).toEqual(['run-a']);
  });

  it('stampRun gives unstamped items the run before it changes; stamped ones keep theirs', async () => {
    const outbox = new Outbox(memoryArea());
    const c = visitCtx();
    await outbox.add([visitStarted(c)], 1, 'run-b');
    await outbox.add([pageEntered(c, 'p1')], 1);
    await outbox.stampRun('run-a');
    expect((await outbox.all()).map((i) => i.runId)).toEqual(['run-b', 'run-a']);
  });
});
