// A disk that refuses writes (here: a file-size limit, so writes fail with EFBIG, as a full
// disk fails with ENOSPC): intake answers with an error instead of acknowledging, keeps
// nothing of the failed request, and what it did acknowledge survives.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { api, removeDir, spawnCompanion, tempDir, type ChildCompanion } from '../helpers/companion';
import { ev, visitCtx, visitStarted } from '../helpers/events';

const dirs: string[] = [];
const children: ChildCompanion[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
  for (const d of dirs.splice(0)) removeDir(d);
});

it('answers 503 with nothing stored once writes fail, and loses nothing acknowledged', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const limited = await spawnCompanion(['--port', '0', '--data', dataDir], { fileSizeLimitKB: 32 });
  children.push(limited);
  const http = api(limited.url);
  const c = visitCtx('full-v');
  const start = visitStarted(c);
  expect((await http.post('/server/events', start)).status).toBe(200);

  const acknowledged: string[] = [];
  let refused: { ids: string[]; body: any } | null = null;
  for (let n = 0; n < 100 && !refused; n++) {
    const batch = Array.from({ length: 10 }, (_, i) => ev(c, 'AddToCart', { eventID: `full-${n}-${i}`, data: { pad: 'x'.repeat(200) } }));
    const res = await http.post('/server/events', batch);
    if (res.status === 200) acknowledged.push(...batch.map((e) => e.eventID));
    else refused = { ids: batch.map((e) => e.eventID), body: { status: res.status, ...res.body } };
  }
  expect(refused).not.toBeNull();
  expect(refused!.body).toMatchObject({ status: 503, error: 'storage_failed' });
  expect(refused!.body.message).toMatch(/^Nothing was stored: could not write the journal/);

  // Nothing of the refused request is visible; everything acknowledged is.
  const stored = (await http.get('/server/data/visits/full-v?include_events=true')).body.eventIds as string[];
  expect(stored).toEqual([start.eventID, ...acknowledged]);
  for (const id of refused!.ids) expect(stored).not.toContain(id);
  expect((await http.get('/lab/health')).body.counts.events).toBe(1 + acknowledged.length);

  // The journal holds whole records only: the partial append was cut back.
  const journalDir = path.join(dataDir, 'journal');
  for (const f of readdirSync(journalDir)) {
    const text = readFileSync(path.join(journalDir, f), 'utf8');
    expect(text === '' || text.endsWith('\n')).toBe(true);
    for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
  }

  // Restarted without the limit: exactly what was acknowledged.
  limited.child.kill('SIGKILL');
  await limited.exited;
  const again = await spawnCompanion(['--port', '0', '--data', dataDir]);
  children.push(again);
  const after = (await api(again.url).get('/server/data/visits/full-v?include_events=true')).body.eventIds as string[];
  expect(after).toEqual(stored);
});
