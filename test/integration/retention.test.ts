// Retention (--max-events, --retain-days): the oldest visits go whole, the rest stay as they
// were, and /lab/health says what is kept. On both stores (the suite's two runs).
import { afterEach, describe, expect, it } from 'vitest';
import { api, removeData, removeDir, runCli, spawnCompanion, tempDir, testCompanion, type TestCompanion } from '../helpers/companion';
import { ev, pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';

let companion: TestCompanion | undefined;
afterEach(async () => {
  if (!companion) return;
  await companion.close();
  await removeData(companion);
  companion = undefined;
});

const DAY = 86_400_000;

/** Waits until `check` holds (retention sweeps on its own clock). */
async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('retention', () => {
  it('--max-events: past it, the visits first heard of go whole until 95% remain; the newest stay whole', async () => {
    companion = await testCompanion({ retention: { maxEvents: 50 }, retentionSweepMs: 50 });
    const http = api(companion.url);
    const visits = Array.from({ length: 10 }, (_, n) => visitCtx(`keep-${n}`));
    // In one request, so the sweep sees all 100 at once, whenever it runs.
    const events = visits.flatMap((c) => [visitStarted(c), pageEntered(c, 'p1'), ...Array.from({ length: 8 }, (_, i) => ev(c, 'Viewed', { pageID: 'p1', data: { i } }))]);
    expect((await http.post('/server/events', events)).body.accepted).toBe(100);
    await until(async () => (await http.get('/lab/health')).body.counts.events <= 50, 'the sweep');
    const health = (await http.get('/lab/health')).body;
    // 95% of 50 is 47: whole visits of 10 go until at most that many remain.
    expect(health.counts.events).toBe(40);
    expect(health.counts.visits).toBe(4);
    expect(health.retention).toEqual({ maxEvents: 50, forgotten: { visits: 6, events: 60 } });
    for (const c of visits.slice(0, 6)) expect((await http.get(`/server/data/visits/${c.visitID}`)).status).toBe(404);
    for (const c of visits.slice(6)) {
      const v = await http.get(`/server/data/visits/${c.visitID}?include_events=true&include_pages=true`);
      expect(v.status).toBe(200);
      expect(v.body.eventIds).toHaveLength(10);
      expect(v.body.pageIds).toHaveLength(1);
    }
  });

  it('--retain-days: visits quiet for longer go, with an identity only they had; the others stay', async () => {
    const old = visitCtx('quiet', 'g-quiet', Date.now() - 3 * DAY);
    const fresh = visitCtx('fresh');
    const seeded = { retention: { retainDays: 1 }, retentionSweepMs: 50 };
    companion = await testCompanion(seeded);
    const http = api(companion.url);
    await http.post('/server/events', [visitStarted(old), pageEntered(old, 'p1'), signIn(old, { userId: 'old-only' })]);
    await http.post('/server/events', [visitStarted(fresh), pageEntered(fresh, 'p1'), signIn(fresh, { userId: 'still-here' })]);
    await until(async () => (await http.get(`/server/data/visits/${old.visitID}`)).status === 404, 'the quiet visit to go');
    expect((await http.get('/server/data/identities/old-only')).status).toBe(404);
    expect((await http.get(`/server/data/visits/${fresh.visitID}`)).status).toBe(200);
    expect((await http.get('/server/data/identities/still-here')).status).toBe(200);
    const health = (await http.get('/lab/health')).body;
    expect(health.retention).toEqual({ retainDays: 1, forgotten: { visits: 1, events: 3 } });
    expect(health.counts).toMatchObject({ visits: 1, events: 3, identities: 1 });
  });

  it('without either, everything is kept and health says nothing of retention', async () => {
    companion = await testCompanion();
    expect((await api(companion.url).get('/lab/health')).body.retention).toBeUndefined();
  });

  it('the CLI says at start what it keeps', async () => {
    const dataDir = tempDir();
    const child = await spawnCompanion(['--port', '0', '--data', dataDir, '--retain-days', '7', '--max-events', '50', '--quiet']);
    try {
      expect(child.output()).toContain('keeps       visits active within 7 days; about 50 events at most (older visits are forgotten whole)');
    } finally {
      child.child.kill('SIGTERM');
      await child.exited;
      removeDir(dataDir);
    }
  });

  it.each([
    [['--max-events', '0'], /--max-events must be a whole number/],
    [['--max-events', '1.5'], /--max-events must be a whole number/],
    [['--retain-days', 'soon'], /--retain-days must be a number of days/],
    [['--retain-days', '0'], /--retain-days must be a number of days/],
  ])('the CLI refuses %j', (args, message) => {
    const r = runCli(['start', '--port', '0', ...args]);
    expect(r.status).toBe(2);
    expect(r.output).toMatch(message);
  });
});
