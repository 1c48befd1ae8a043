// The lab API (health, reset, contacts) and seeding the contact directory with --contacts.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZERO_COUNTS, counts } from '../helpers/lab';
import { api, removeDir, ROOT, tempDir, testCompanion } from '../helpers/companion';
import { useCompanion } from '../helpers/use-companion';
import { pageEntered, signIn, userInfo, visitCtx, visitStarted } from '../helpers/events';
import { JSON_TYPE } from '../helpers/http';
import { onPostgres } from '../helpers/postgres';


const VERSION = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

describe('lab API', () => {
  const lab = useCompanion();

  it('GET /lab/health answers name, version, status, times, data dir, expiry and zero counts', async () => {
    const before = Date.now();
    const res = await lab.http.get('/lab/health');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_TYPE);
    expect(res.body).toEqual({
      name: 'visitor-lab-companion',
      version: VERSION,
      status: 'ok',
      startedAt: expect.any(Number),
      uptimeSeconds: expect.any(Number),
      ...(onPostgres()
        ? { store: 'postgres', database: lab.companion.database!.replace(/:[^:@/]*@/, ':***@') }
        : { store: 'embedded', dataDir: path.resolve(lab.companion.dataDir) }),
      visitExpirationTime: 86400,
      counts: ZERO_COUNTS,
    });
    expect(VERSION).toBe('0.1.0');
    expect(res.body.startedAt).toBeLessThanOrEqual(before);
    expect(res.body.startedAt).toBeGreaterThan(before - 60_000);
    expect(res.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(res.body.uptimeSeconds).toBeLessThan(60);
  });

  it('GET /lab/health counts visits, pages, events, identities, sessions and contacts', async () => {
    const a = visitCtx('lab-a');
    const b = visitCtx('lab-b');
    const res = await lab.http.post('/server/events', [
      visitStarted(a),
      pageEntered(a, 'p1'),
      signIn(a, { email: 'ann@shop.test' }),
      pageEntered(a, 'p2'),
      signIn(a, { userId: 'bob' }, 'p2'),
      visitStarted(b),
      pageEntered(b, 'p1'),
      userInfo(b, 'carol'),
    ]);
    expect(res.body.accepted).toBe(8);
    // 2 visits; pages lab-a.p1, lab-a.p2, lab-b.p1; 3 identities; 2 sessions (two SignIns); 3 contacts made by identification.
    expect(await counts(lab.http)).toEqual({ visits: 2, pages: 3, events: 8, identities: 3, sessions: 2, contacts: 3 });
  });

  it('GET /lab/health reports the configured visit expiration', async () => {
    const short = await testCompanion({ engine: { visitExpirationTime: 600 } });
    try {
      expect((await api(short.url).get('/lab/health')).body.visitExpirationTime).toBe(600);
    } finally {
      await short.close();
      removeDir(short.dataDir);
    }
  });

  it('lab requests refuse unknown query parameters with 400 naming them', async () => {
    const res = await lab.http.get('/lab/health?verbose=true');
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('verbose');
    const reset = await lab.http.post('/lab/reset?all=true', '');
    expect(reset.status).toBe(400);
    expect(reset.body.field).toBe('all');
  });

  it('POST /lab/reset empties visits, events, identities, sessions and contacts, durably', async () => {
    const c = visitCtx('lab-reset');
    const events = [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'ann@shop.test' })];
    expect((await lab.http.post('/server/events', events)).body.accepted).toBe(3);
    expect((await lab.http.post('/lab/contacts', { contactId: 'crm-1', email: 'x@shop.test' })).status).toBe(201);
    expect(await counts(lab.http)).toEqual({ visits: 1, pages: 1, events: 3, identities: 1, sessions: 1, contacts: 2 });

    const res = await lab.http.post('/lab/reset', undefined);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'reset' });
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
    expect((await lab.http.get('/server/data/visits')).status).toBe(204);
    expect((await lab.http.get('/server/data/identities')).status).toBe(204);
    expect((await lab.http.get('/server/data/visits/lab-reset')).status).toBe(404);
    expect((await lab.http.get('/server/data/identities/ann%40shop.test')).status).toBe(404);
    expect((await lab.http.get('/lab/contacts')).body).toEqual([]);
    // The same eventIDs are new again after a reset.
    const again = await lab.http.post('/server/events', events);
    expect(again.body.accepted).toBe(3);
    expect(again.body.duplicate).toBe(0);

    // Durable: a restart on the same folder still shows the state after the reset, not before.
    await lab.http.post('/lab/reset', undefined);
    await lab.restart();
    expect(await counts(lab.http)).toEqual(ZERO_COUNTS);
  });

  it('POST /lab/contacts creates contacts (201 with what is stored); GET lists and reads them', async () => {
    const one = await lab.http.post('/lab/contacts', { contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann', lastName: 'Lee' });
    expect(one.status).toBe(201);
    expect(one.body).toEqual([{ contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann', lastName: 'Lee', origin: 'seed' }]);
    const many = await lab.http.post('/lab/contacts', [{ userId: 'u-9' }, { phone: '+1 555-0100', firstName: 'Pat' }]);
    expect(many.status).toBe(201);
    expect(many.body).toEqual([
      { contactId: 'contact-u-9', userId: 'u-9', origin: 'seed' },
      { contactId: 'contact-+1 555-0100', phone: '+1 555-0100', firstName: 'Pat', origin: 'seed' },
    ]);
    const list = await lab.http.get('/lab/contacts');
    expect(list.status).toBe(200);
    expect(list.body.map((c: any) => c.contactId)).toEqual(['crm-001', 'contact-u-9', 'contact-+1 555-0100']);
    const read = await lab.http.get('/lab/contacts/crm-001');
    expect(read.status).toBe(200);
    expect(read.body).toEqual(one.body[0]);
    const missing = await lab.http.get('/lab/contacts/crm-404');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not_found');
    expect(missing.headers.get('content-type')).toBe(JSON_TYPE);

    // Updating keeps the fields not given.
    const update = await lab.http.post('/lab/contacts', { contactId: 'crm-001', phone: '+33 1 23 45 67 89' });
    expect(update.status).toBe(201);
    expect(update.body).toEqual([
      { contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann', lastName: 'Lee', phone: '+33 1 23 45 67 89', origin: 'seed' },
    ]);
    expect((await counts(lab.http)).contacts).toBe(3);
  });

  it('SignIn matches a seeded contact by email (ignoring case): entityInCS is its contactId, no new contact', async () => {
    await lab.http.post('/lab/contacts', { contactId: 'crm-001', email: 'Ann.Lee@Shop.test', firstName: 'Ann' });
    const c = visitCtx('lab-contact');
    await lab.http.post('/server/events', [visitStarted(c), signIn(c, { email: 'ann.lee@shop.test', firstName: 'Ann', lastName: 'Lee' })]);
    const identity = await lab.http.get('/server/data/identities/ann.lee%40shop.test');
    expect(identity.status).toBe(200);
    expect(identity.body[0].entityInCS).toBe('crm-001');
    expect((await counts(lab.http)).contacts).toBe(1);
  });

  it('SignIn matches by phone digits, and creates a contact when nothing matches', async () => {
    await lab.http.post('/lab/contacts', { contactId: 'crm-phone', phone: '+1 555-0100' });
    const c = visitCtx('lab-phone');
    await lab.http.post('/server/events', [
      visitStarted(c),
      signIn(c, { userId: 'zed', phone: '+15550100' }),
      signIn(c, { userId: 'newbie', email: 'new@shop.test', firstName: 'New', lastName: 'Bie' }),
    ]);
    expect((await lab.http.get('/server/data/identities/zed')).body[0].entityInCS).toBe('crm-phone');
    expect((await lab.http.get('/server/data/identities/newbie')).body[0].entityInCS).toBe('contact-newbie');
    const created = await lab.http.get('/lab/contacts/contact-newbie');
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      contactId: 'contact-newbie',
      userId: 'newbie',
      email: 'new@shop.test',
      firstName: 'New',
      lastName: 'Bie',
      origin: 'SignIn',
    });
  });

  it.each([
    [{ firstName: 'No Id' }, 'userId'],
    [{ email: '' }, 'email'],
    [{ email: 'a@shop.test', phone: 5550100 }, 'phone'],
    [{ contactId: '__proto__', email: 'a@shop.test' }, 'contactId'],
    [[{ email: 'ok@shop.test' }, { lastName: 'NoId' }], '[1].userId'],
    ['{"email":', 'body'],
  ])('POST /lab/contacts %j -> 400 naming %s, storing nothing', async (body, field) => {
    const res = await lab.http.post('/lab/contacts', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.field).toBe(field);
    expect((await lab.http.get('/lab/contacts')).body).toEqual([]);
  });

  it('POST /lab/contacts with an unknown field -> 400 naming that field', async () => {
    const res = await lab.http.post('/lab/contacts', { email: 'a@shop.test', nickname: 'Annie' });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('nickname');
    expect((await lab.http.get('/lab/contacts')).body).toEqual([]);
  });
});

describe('--contacts seed file', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) removeDir(d);
  });

  it('seeds the contact directory; SignIn by userId links to the seeded contact', async () => {
    const dir = tempDir('vl-seed-');
    dirs.push(dir);
    const file = path.join(dir, 'contacts.json');
    writeFileSync(file, JSON.stringify([{ contactId: 'crm-9', userId: 'u-9', email: 'nine@shop.test' }, { email: 'ten@shop.test' }]));
    const companion = await testCompanion({ contactsFile: file });
    try {
      const http = api(companion.url);
      expect((await http.get('/lab/contacts')).body).toEqual([
        { contactId: 'crm-9', userId: 'u-9', email: 'nine@shop.test', origin: 'seed' },
        { contactId: 'contact-ten@shop.test', email: 'ten@shop.test', origin: 'seed' },
      ]);
      const c = visitCtx('seed-visit');
      await http.post('/server/events', [visitStarted(c), signIn(c, { userId: 'u-9', email: 'other@shop.test' })]);
      expect((await http.get('/server/data/identities/u-9')).body[0].entityInCS).toBe('crm-9');
      expect((await http.get('/lab/health')).body.counts.contacts).toBe(2);
    } finally {
      await companion.close();
      removeDir(companion.dataDir);
    }
  });

  it('refuses to start on an invalid seed file, naming the file and the field', async () => {
    const dir = tempDir('vl-seed-');
    dirs.push(dir);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ email: 'ok@shop.test' }, { firstName: 'NoId' }]));
    const dataDir = tempDir();
    dirs.push(dataDir);
    await expect(testCompanion({ contactsFile: bad, dataDir })).rejects.toThrow(/--contacts .*bad\.json: \[1\]\.userId/);
    const notJson = path.join(dir, 'not.json');
    writeFileSync(notJson, '[{"email":');
    await expect(testCompanion({ contactsFile: notJson, dataDir })).rejects.toThrow(/--contacts .*not\.json/);
    // The data folder is not left locked: a companion starts on it.
    const ok = await testCompanion({ dataDir });
    await ok.close();
  });
});
