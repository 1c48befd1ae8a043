// visitExpirationTime over HTTP: an idle visit ends and its visitor is no longer Authenticated.
import { expect, it } from 'vitest';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';

const lab = useCompanion({ engine: { visitExpirationTime: 3 } }, 'all');

it('ends a visit idle for longer than visitExpirationTime, closing its session', async () => {
  const c = visitCtx('exp-v1', 'exp-g1', Date.now() - 3000);
  const events = [visitStarted(c), pageEntered(c, 'p1'), { ...signIn(c, { userId: 'eve' }), sessionID: 'exp-s1' }];
  // The last event is "now": the visit is open and Authenticated.
  events[2].timestamp = Date.now();
  expect((await lab.http.post('/server/events', events)).body.accepted).toBe(3);
  let visit = (await lab.http.get('/server/data/visits/exp-v1')).body;
  expect(visit).toMatchObject({ endDate: 0, visitorState: 'Authenticated', activeSessionId: 'exp-s1' });

  // Wait until just past the expiry (3 s after the last event), however long the above took.
  await new Promise((r) => setTimeout(r, Math.max(0, events[2].timestamp + 3000 + 150 - Date.now())));
  visit = (await lab.http.get('/server/data/visits/exp-v1?include_pages_detail=true')).body;
  expect(visit.endDate).toBe(events[2].timestamp + 3000);
  expect(visit.visitorState).toBe('Anonymous');
  expect(visit.activeSessionId).toBeNull();
  expect(visit.pages[0].endDate).toBe(events[2].timestamp + 3000);
  expect((await lab.http.get('/lab/health')).body.visitExpirationTime).toBe(3);
});
