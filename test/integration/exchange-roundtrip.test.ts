// Export, reset, import: the History API tells the same story; a second import changes
// nothing; a HAR export imported into a fresh companion tells it too.
import { describe, expect, it } from 'vitest';
import { api, removeDir, testCompanion } from '../helpers/companion';
import { useCompanion } from '../helpers/use-companion';
import { countsOf, historyOf, tellStory } from './exchange-story';

describe('JSON export then import', () => {
  const lab = useCompanion();

  it('after a reset, importing the export gives the same History API answers, serverTimestamps included', async () => {
    const story = await tellStory(lab.http, { contacts: true, eventlessVisit: true });
    const before = await historyOf(lab.http, story);
    const counts = await countsOf(lab.http);
    const exported = await lab.http.get('/lab/export');
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ format: 'visitor-lab-export', version: 1, scope: { all: true }, creator: { name: 'visitor-lab-companion' } });
    expect(exported.body.contacts.map((c: { contactId: string }) => c.contactId).sort()).toEqual(['contact-ann@shop.test', 'contact-bob-7']);
    expect(exported.body.visits).toEqual([expect.objectContaining({ visitId: 'story-empty', globalVisitID: 'g-empty', userAgent: 'UA-None' })]);
    // Six intake requests; the one with both visits' events comes out visit by visit.
    const requests = exported.body.requests as { events: { eventID: string; visitID: string }[]; userAgent: string; serverTimestamp: number }[];
    expect(requests.flatMap((r) => r.events)).toHaveLength(13);
    expect(requests.every((r) => r.events.every((e: any) => e.serverTimestamp === r.serverTimestamp))).toBe(true);
    expect(requests[0].userAgent).toBe('UA-Ann/1.0');

    await lab.http.post('/lab/reset', '');
    expect((await countsOf(lab.http)).events).toBe(0);
    const imported = await lab.http.post('/lab/import', exported.body);
    expect(imported.status).toBe(200);
    expect(imported.body).toEqual({
      source: 'json',
      requests: requests.length,
      events: { accepted: 13, duplicate: 0, rejected: 0 },
      visits: { created: 1, existing: 0 },
      contacts: 2,
      rejections: [],
    });
    expect(await countsOf(lab.http)).toEqual(counts);
    expect(await historyOf(lab.http, story)).toEqual(before);

    // Twice: every event a duplicate, the visit there already, nothing else moves.
    const again = await lab.http.post('/lab/import', exported.body);
    expect(again.body).toMatchObject({ events: { accepted: 0, duplicate: 13, rejected: 0 }, visits: { created: 0, existing: 1 } });
    expect(await countsOf(lab.http)).toEqual(counts);
    expect(await historyOf(lab.http, story)).toEqual(before);
  });

  it('an import survives a restart (it went through the journal)', async () => {
    const story = await tellStory(lab.http);
    const exported = (await lab.http.get('/lab/export')).body;
    const before = await historyOf(lab.http, story);
    await lab.http.post('/lab/reset', '');
    await lab.http.post('/lab/import', exported);
    await lab.restart();
    expect(await historyOf(lab.http, story)).toEqual(before);
  });

  it('an import past the 1 MB other bodies may have is taken', async () => {
    const now = Date.now();
    const requests = Array.from({ length: 30 }, (_, r) => ({
      serverTimestamp: now - 60_000 + r,
      userAgent: 'UA-Big',
      events: Array.from({ length: 100 }, (_, i) => ({
        eventType: 'BUSINESS', eventName: 'Viewed', eventID: `big-${r}-${i}`, pageID: 'p1', timestamp: now - 60_000 + r,
        globalVisitID: 'g-big', visitID: 'v-big', data: { pad: 'x'.repeat(400) },
      })),
    }));
    const body = JSON.stringify({ format: 'visitor-lab-export', version: 1, requests });
    expect(body.length).toBeGreaterThan(1_100_000);
    const res = await lab.http.post('/lab/import', body);
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual({ accepted: 3000, duplicate: 0, rejected: 0 });
  });

  it('rejected events are counted and the first reasons named with their request', async () => {
    const doc = {
      format: 'visitor-lab-export',
      version: 1,
      requests: [{ serverTimestamp: Date.now(), userAgent: null, events: [{ eventType: 'SYSTEM', eventName: 'Nope', eventID: 'bad-1' }] }],
    };
    const res = await lab.http.post('/lab/import', doc);
    expect(res.status).toBe(200);
    expect(res.body.events).toEqual({ accepted: 0, duplicate: 0, rejected: 1 });
    expect(res.body.rejections).toEqual([expect.objectContaining({ at: 'requests[0]', index: 0, eventID: 'bad-1', field: expect.any(String), reason: expect.any(String) })]);
  });
});

describe('HAR export then import into a fresh companion', () => {
  const lab = useCompanion();

  it('gives the same History API answers', async () => {
    const story = await tellStory(lab.http);
    const before = await historyOf(lab.http, story);
    const har = await lab.http.get('/lab/export?format=har');
    expect(har.status).toBe(200);
    const fresh = await testCompanion();
    try {
      const http = api(fresh.url);
      const imported = await http.post('/lab/import', har.body);
      expect(imported.status).toBe(200);
      expect(imported.body).toMatchObject({ source: 'har', events: { accepted: 13, duplicate: 0, rejected: 0 } });
      expect(await historyOf(http, story)).toEqual(before);
      expect((await http.post('/lab/import', har.body)).body.events).toEqual({ accepted: 0, duplicate: 13, rejected: 0 });
    } finally {
      await fresh.close();
      removeDir(fresh.dataDir);
    }
  });
});
