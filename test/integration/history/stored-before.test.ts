// Data stored before events were served with their page resource's id (a journal written then,
// a snapshot of it) loads and answers the new way: events join to pages. The stored form did not
// change (the event as the browser sent it); the History API works the page id out when serving.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, removeDir, tempDir, testCompanion } from '../../helpers/companion';
import { onPostgres } from '../../helpers/postgres';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** A journal record as the companion wrote it before: events carry the browser's pageID. */
function oldJournalLine(seq: number, events: object[]): string {
  return JSON.stringify({ seq, op: { kind: 'events', userAgent: 'UA/old', events } }) + '\n';
}

const T = Date.now() - 60_000;
const stored = (eventID: string, eventName: string, pageID: string | undefined, extra: object = {}) => ({
  eventType: 'SYSTEM', eventName, eventID, pageID, timestamp: T, globalVisitID: 'old-g', visitID: 'old-v',
  serverTimestamp: T, browserPageID: pageID ?? null, visitorState: 'Anonymous', ...extra,
});

// The embedded store's own files from before: a database has no such past.
describe.skipIf(onPostgres())('data stored before', () => {
  it('a journal (then a snapshot) from before answers with events joined to pages', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    mkdirSync(path.join(dataDir, 'journal'));
    const events = [
      stored('old-1', 'VisitStarted', 'bp-1'),
      stored('old-2', 'PageEntered', 'bp-1', { url: 'http://shop.test/', data: { title: 'Home' } }),
      { ...stored('old-3', 'AddToCart', 'bp-1'), eventType: 'BUSINESS' },
      stored('old-4', 'SignOut', undefined),
    ];
    writeFileSync(path.join(dataDir, 'journal', 'journal-000000000001.jsonl'), oldJournalLine(1, events));
    for (const round of ['from the journal', 'from the snapshot a clean stop wrote']) {
      const companion = await testCompanion({ dataDir });
      try {
        const http = api(companion.url);
        const [page] = (await http.get('/server/data/visits/old-v/pages')).body;
        expect(page.pageId, round).toBe('old-v:bp-1');
        const served = (await http.get('/server/data/visits/old-v/events')).body;
        expect(served.map((e: any) => [e.eventID, e.pageID, e.browserPageID, e.category]), round).toEqual([
          ['old-1', 'old-v:bp-1', 'bp-1', ''],
          ['old-2', 'old-v:bp-1', 'bp-1', ''],
          ['old-3', 'old-v:bp-1', 'bp-1', ''],
          ['old-4', undefined, null, ''],
        ]);
      } finally {
        await companion.close();
      }
    }
  });
});
