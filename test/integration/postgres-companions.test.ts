// Three companions on one PostgreSQL database, as behind a load balancer: the same visits'
// events through all of them at once (each batch to two companions at the same moment, as a
// retrying client does), identities shared between visits, one companion SIGKILLed halfway
// (its batches go to the others, as a balancer sends them). Afterwards every acknowledged event
// is stored once, and each visit, identity and contact is what one companion computes from the
// same events (an embedded companion given them one batch at a time).
import { afterAll, describe, expect, it } from 'vitest';
import type { GtEvent } from '../../protocol';
import { api, removeDir, testCompanion, type Api, type TestCompanion } from '../helpers/companion';
import { ev, pageEntered, pageExited, signIn, signOut, userInfo, visitCtx, visitStarted } from '../helpers/events';
import { onPostgres } from '../helpers/postgres';
import { useSharedDatabases } from '../helpers/shared-database';

const VISITS = 24;

/** A visit's story in batches of a few events: pages, business events, sign-ins by shared people. */
function story(n: number): GtEvent[][] {
  const c = visitCtx(`pgc-${n}`);
  const person = `person${n % 5}@shop.test`; // five people, each in several visits
  const events = [
    visitStarted(c),
    pageEntered(c, 'p1'),
    ev(c, 'ProductViewed', { pageID: 'p1', data: { sku: `sku-${n}` } }),
    signIn(c, { email: person, firstName: `P${n % 5}` }),
    ev(c, 'AddToCart', { pageID: 'p1' }),
    pageExited(c, 'p1'),
    pageEntered(c, 'p2'),
    ...(n % 3 === 0 ? [signOut(c, 'p2')] : []),
    userInfo(c, `person${n % 5}@shop.test`, 'p2'),
    ev(c, 'Checkout', { pageID: 'p2' }),
    pageExited(c, 'p2'),
  ];
  const batches: GtEvent[][] = [];
  for (let i = 0; i < events.length; i += 1 + (i % 3)) batches.push(events.slice(i, i + 1 + (i % 3)));
  return batches;
}

/** What a visit, its identities and the contacts look like through the History and lab APIs. */
async function picture(http: Api, visitIds: string[]) {
  const visits = await Promise.all(
    visitIds.map(async (id) => {
      const v = (await http.get(`/server/data/visits/${id}?include_events_detail=true&include_pages_detail=true`)).body;
      return {
        visitId: v.visitId,
        visitorState: v.visitorState,
        activeSessionId: v.activeSessionId,
        identityIds: v.identityIds,
        events: v.events.map((e: any) => [e.eventID, e.eventName, e.visitorState, e.pageID]),
        pages: v.pages.map((p: any) => [p.pageId, p.url, p.startDate, p.endDate, p.eventIds]),
      };
    }),
  );
  const identities = (await http.get('/server/data/identities?include_visits=true&page_size=100')).body.map((i: any) => [i.identityId, i.name, i.entityInCS, [...i.visitIds].sort()]);
  const contacts = (await http.get('/lab/contacts?page_size=100')).body.map((c: any) => c.contactId).sort();
  const counts = (await http.get('/lab/health')).body.counts;
  return { visits, identities: identities.sort(), contacts, counts };
}

describe.runIf(onPostgres())('three companions on one PostgreSQL database', () => {
  const shared = useSharedDatabases();
  let reference: TestCompanion | undefined;
  afterAll(async () => {
    if (!reference) return;
    await reference.close();
    removeDir(reference.dataDir);
  });

  it('take the same visits at once, one is killed halfway, and each visit is told once, as one companion tells it', async () => {
    const database = await shared.database();
    // Started together: the schema is made once, under its lock.
    const children = await Promise.all([0, 1, 2].map(() => shared.spawn(database)));
    const alive = new Set(children);
    const stories = Array.from({ length: VISITS }, (_, n) => story(n));
    const total = stories.flat(2).length;
    let sent = 0;
    let killed = false;
    const acknowledged = new Set<string>();

    /** Posts a batch to a companion, or to the next one alive when that one is gone (a balancer's retry). */
    async function post(batch: GtEvent[], pick: number): Promise<void> {
      for (let attempt = 0; attempt < 6; attempt++) {
        const live = [...alive];
        const target = live[(pick + attempt) % live.length];
        try {
          const res = await api(target.url).post('/server/events', batch);
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          for (const r of res.body.results) if (r.status === 'accepted' || r.status === 'duplicate') acknowledged.add(r.eventID);
          return;
        } catch (e) {
          if (alive.has(target) && !killed) throw e;
        }
      }
      throw new Error('no companion took the batch');
    }

    // Each visit's batches in order; the visits side by side; each batch to two companions at once.
    await Promise.all(
      stories.map(async (batches, n) => {
        for (const [i, batch] of batches.entries()) {
          await Promise.all([post(batch, n + i), post(batch, n + i + 1)]);
          sent += batch.length;
          if (!killed && sent >= total / 2) {
            killed = true;
            const victim = children[2];
            alive.delete(victim);
            victim.child.kill('SIGKILL');
          }
        }
      }),
    );
    expect(killed).toBe(true);
    const allIds = stories.flat(2).map((e) => e.eventID);
    expect([...acknowledged].sort()).toEqual([...allIds].sort());

    // One companion (the embedded store), given the same batches one at a time.
    reference = await testCompanion({}, 'embedded');
    const one = api(reference.url);
    for (const batches of stories) for (const batch of batches) expect((await one.post('/server/events', batch)).status).toBe(200);

    const visitIds = stories.map((s) => s[0][0].visitID);
    const expected = await picture(one, visitIds);
    expect(expected.counts.events).toBe(total);
    expect(expected.contacts).toHaveLength(5);
    for (const survivor of alive) expect(await picture(api(survivor.url), visitIds)).toEqual(expected);
  });
});

describe.runIf(onPostgres())('two companions on one database, asked for the active run at the same moment', () => {
  const shared = useSharedDatabases();

  it('give it to one of them; the other answers 409 naming that run', async () => {
    const database = await shared.database();
    const children = await Promise.all([0, 1].map(() => shared.spawn(database)));
    const [a, b] = children.map((c) => api(c.url));
    for (let round = 0; round < 5; round++) {
      const answers = await Promise.all([a, b].map((http, i) => http.post('/lab/runs', { name: `r${round}-${i}`, active: true })));
      const won = answers.filter((r) => r.status === 201);
      const lost = answers.filter((r) => r.status === 409);
      expect([won.length, lost.length], JSON.stringify(answers.map((r) => r.body))).toEqual([1, 1]);
      expect(lost[0].body).toMatchObject({ field: 'active' });
      expect(lost[0].body.message).toContain(won[0].body.runId);
      expect((await b.get('/lab/runs')).body.filter((r: { active: boolean }) => r.active).map((r: { runId: string }) => r.runId)).toEqual([won[0].body.runId]);
      expect((await a.post(`/lab/runs/${won[0].body.runId}/stop`, undefined)).status).toBe(200);
    }
  });
});
