// Bounds (issue 9): what one identity keeps, and a companion whose memory is nearly full
// refusing new events (507) before its data could no longer be loaded, never after.
import { afterEach, describe, expect, it } from 'vitest';
import { PROFILE_LIMITS } from '../../companion/engine/profile';
import { api, removeDir, spawnCompanion, tempDir, testCompanion, type ChildCompanion } from '../helpers/companion';
import { ev, signIn, visitCtx, visitStarted } from '../helpers/events';

const dirs: string[] = [];
const children: ChildCompanion[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
  for (const d of dirs.splice(0)) removeDir(d);
});

describe('one identity', () => {
  it('600 SignIns with new keys: the identity still answers, its profile bounded', async () => {
    const companion = await testCompanion();
    dirs.push(companion.dataDir);
    const c = visitCtx();
    const http = api(companion.url);
    await http.post('/server/events', visitStarted(c));
    for (let round = 0; round < 6; round++) {
      const batch = Array.from({ length: 100 }, (_, i) => signIn(c, { userId: 'pat', [`key${round * 100 + i}`]: 'v'.repeat(200) }));
      expect((await http.post('/server/events', batch)).body.accepted).toBe(100);
    }
    const res = await http.get('/server/data/identities/pat');
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body).length).toBeLessThan(PROFILE_LIMITS.chars + 4096);
    await companion.close();
  });
});

describe('memory nearly full', () => {
  it('refuses new events with 507 saying why, and everything acknowledged loads again', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    // A small heap, so that it fills in seconds.
    const env = { ...process.env, NODE_OPTIONS: '--max-old-space-size=96' };
    const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet'], { env });
    children.push(first);
    const http = api(first.url);
    const c = visitCtx('full-v');
    expect((await http.post('/server/events', visitStarted(c))).status).toBe(200);
    let acknowledged = 1;
    let refusal: { status: number; body: { error: string; message: string } } | null = null;
    for (let n = 0; n < 400 && !refusal; n++) {
      const batch = Array.from({ length: 50 }, (_, i) => ev(c, 'AddToCart', { eventID: `full-${n}-${i}`, data: { pad: `${n}-${i}-`.padEnd(8000, 'x') } }));
      const res = await http.post('/server/events', batch);
      if (res.status === 200) acknowledged += 50;
      else refusal = res;
    }
    expect(refusal?.status).toBe(507);
    expect(refusal?.body.error).toBe('storage_failed');
    expect(refusal?.body.message).toMatch(/memory is nearly full.*new events are refused.*--max-old-space-size/);
    // Reads still work.
    expect((await http.get('/lab/health')).body.counts.events).toBe(acknowledged);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    children.splice(children.indexOf(first), 1);

    const again = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet'], { env });
    children.push(again);
    expect((await api(again.url).get('/lab/health')).body.counts.events).toBe(acknowledged);
  }, 60_000);
});
