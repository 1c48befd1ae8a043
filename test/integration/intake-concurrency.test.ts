// A duplicate answer means "stored", even when the first copy of the event is still on its
// way to disk in another request; and a failed journal rotation does not stop intake.
import { renameSync } from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { own } from '../../companion/engine';
import type { Store } from '../../companion/store/store';
import { api, removeDir, testCompanion } from '../helpers/companion';
import { ev, visitCtx, visitStarted } from '../helpers/events';

let companion: Awaited<ReturnType<typeof testCompanion>> | undefined;
afterEach(async () => {
  await companion?.close();
  if (companion) removeDir(companion.dataDir);
  companion = undefined;
});

it('answers duplicate for an event another request is writing only once it is stored', async () => {
  companion = await testCompanion();
  const http = api(companion.url);
  const store = companion.store as Store;
  let checked = 0;
  for (let round = 0; round < 30; round++) {
    const c = visitCtx(`dupw-${round}`);
    const shared = ev(c, 'AddToCart', { eventID: `shared-${round}`, pageID: 'p1' });
    const big = [visitStarted(c), ...Array.from({ length: 200 }, (_, i) => ev(c, 'View', { eventID: `big-${round}-${i}`, pageID: 'p1' })), shared];
    const first = http.post('/server/events', big);
    const second = http.post('/server/events', [shared]).then((res) => {
      // The moment the answer says duplicate, the event must be in the store.
      if (res.body.results[0].status === 'duplicate') {
        checked++;
        expect(own(store.state.events, shared.eventID)).toBeDefined();
      }
      return res;
    });
    const [a, b] = await Promise.all([first, second]);
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(a.body.duplicate + b.body.duplicate).toBe(1); // stored once, whichever came first
  }
  expect(checked).toBeGreaterThan(0);
});

it('goes on taking events after a journal rotation failed', async () => {
  companion = await testCompanion({ snapshotAfterBytes: 1000 });
  const http = api(companion.url);
  const c = visitCtx('rot-v');
  expect((await http.post('/server/events', visitStarted(c))).status).toBe(200);
  await companion.store.drain();
  // The folder disappears: the open journal file still takes appends, but a snapshot's new
  // segment cannot be created.
  const journalDir = path.join(companion.dataDir, 'journal');
  renameSync(journalDir, `${journalDir}-away`);
  const during = Array.from({ length: 10 }, (_, i) => ev(c, 'View', { eventID: `rot-${i}`, pageID: 'p1', data: { pad: 'x'.repeat(100) } }));
  expect((await http.post('/server/events', during)).status).toBe(200);
  await companion.store.drain();
  renameSync(`${journalDir}-away`, journalDir);
  const after = ev(c, 'View', { eventID: 'rot-after', pageID: 'p1' });
  const res = await http.post('/server/events', after);
  expect(res.status).toBe(200);
  expect(res.body.accepted).toBe(1);
  // And all of it survives a restart.
  const dataDir = companion.dataDir;
  await companion.close();
  companion = await testCompanion({ dataDir });
  const ids = (await api(companion.url).get('/server/data/visits/rot-v?include_events=true')).body.eventIds;
  expect(ids).toHaveLength(12);
});
