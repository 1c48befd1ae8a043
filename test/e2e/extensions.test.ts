// Which extensions the companion trusts, from real extensions in real chromium: Visitor Lab's
// own (its id fixed by the manifest key) reads History and posts events; another installed
// extension, without host permission for the companion, can neither read, post nor reset.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTENSION_ID } from '../../companion/server/extension-id';
import { launchLab } from '../helpers/browser';
import { api, removeDir, testCompanion, type TestCompanion } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { answered, CORS_ERROR, network, pageFetch, UNREADABLE } from './page-tools';

const SEED_VISIT = 'ext-seed-visit';
let companion: TestCompanion;

const forgedEvent = (visitId: string) => JSON.stringify([visitStarted(visitCtx(visitId))]);

/** What the companion holds, asked from Node (no Origin, loopback Host). */
async function snapshot(): Promise<{ counts: Record<string, number> }> {
  const health = await api(companion.url).get('/lab/health');
  expect(health.status).toBe(200);
  return { counts: health.body.counts };
}

beforeAll(async () => {
  companion = await testCompanion();
  const c = visitCtx(SEED_VISIT);
  const seeded = await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'ann@shop.test' })]);
  expect(seeded.body.accepted).toBe(3);
});

afterAll(async () => {
  await companion?.close();
  if (companion) removeDir(companion.dataDir);
});

describe('extensions', () => {
  it('Visitor Lab\'s own, with its fixed id, reads the History API (as the popup does) and posts events', async () => {
    const lab = await launchLab();
    try {
      expect(lab.extensionId).toBe(EXTENSION_ID);
      const page = await lab.browser.newPage();
      await page.goto(`chrome-extension://${lab.extensionId}/popup.html?security`, { waitUntil: 'load' });
      const visits = await pageFetch(page, `${companion.url}/server/data/visits`);
      expect(visits).toMatchObject({ status: 200 });
      expect(JSON.parse((visits as { body: string }).body).map((v: { visitId: string }) => v.visitId)).toContain(SEED_VISIT);
      const events = await pageFetch(page, `${companion.url}/server/data/visits/${SEED_VISIT}/events`);
      expect(events).toMatchObject({ status: 200 });
      expect(JSON.parse((events as { body: string }).body).length).toBe(3);
      const posted = await pageFetch(page, `${companion.url}/server/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: forgedEvent('sec-own-extension') });
      expect(posted).toMatchObject({ status: 200 });
    } finally {
      await lab.close();
    }
  });

  it('another installed extension (without host permission for the companion) can neither read, post nor reset', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'vl-other-extension-'));
    const lab = await launchLab();
    try {
      await writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ manifest_version: 3, name: 'Other', version: '1.0' }));
      await writeFile(path.join(dir, 'page.html'), '<!doctype html><title>other</title>');
      const otherId = await lab.browser.installExtension(dir);
      expect(otherId).not.toBe(EXTENSION_ID);
      const page = await lab.browser.newPage();
      const seen = await network(page);
      await page.goto(`chrome-extension://${otherId}/page.html`, { waitUntil: 'load' });
      const before = await snapshot();
      const C = companion.url;
      expect(await pageFetch(page, `${C}/server/data/visits`)).toEqual(CORS_ERROR);
      await answered(seen, 'GET', `${C}/server/data/visits`, [403]);
      const plain = { 'content-type': 'text/plain' };
      expect(UNREADABLE).toContainEqual(await pageFetch(page, `${C}/lab/reset`, { method: 'POST', mode: 'no-cors', headers: plain, body: '' }));
      await answered(seen, 'POST', `${C}/lab/reset`, [403]);
      expect(UNREADABLE).toContainEqual(await pageFetch(page, `${C}/server/events`, { method: 'POST', mode: 'no-cors', headers: plain, body: forgedEvent('sec-other-extension') }));
      await answered(seen, 'POST', `${C}/server/events`, [403]);
      expect(await snapshot()).toEqual(before);
    } finally {
      await lab.close();
      removeDir(dir);
    }
  });
});
