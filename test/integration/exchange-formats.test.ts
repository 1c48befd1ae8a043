// What GET /lab/export gives in each format and scope: HAR 1.2 field by field, CSV quoting and
// formula neutralising, the JSON export scoped to a visit or an identity, file names.
import { describe, expect, it } from 'vitest';
import { useCompanion } from '../helpers/use-companion';
import { ev, pageEntered, visitCtx, visitStarted } from '../helpers/events';
import { tellStory } from './exchange-story';

/** RFC 4180 read back: fields split on commas outside quotes, "" inside quotes is ", rows end in CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(cell), rows.push(row), (row = []), (cell = ''), i++;
    else cell += c;
  }
  expect(cell).toBe(''); // the last row ended with CRLF
  return rows;
}

describe('GET /lab/export formats', () => {
  const lab = useCompanion({}, 'all');
  const started = Date.now();

  it('HAR 1.2: one entry per intake request, each field DevTools reads', async () => {
    await tellStory(lab.http, { contacts: true });
    const res = await lab.http.get('/lab/export?format=har');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="visitor-lab-all-\d{4}-\d\d-\d\dT[\d-]+Z\.har"$/);
    const { log } = res.body;
    expect(log.version).toBe('1.2');
    expect(log.creator).toEqual({ name: 'visitor-lab-companion', version: expect.any(String) });
    expect(log.entries.length).toBeGreaterThanOrEqual(6);
    const url = `${lab.companion.url}/server/events`;
    let events = 0;
    for (const entry of log.entries) {
      expect(Date.parse(entry.startedDateTime)).toBeGreaterThanOrEqual(started - 1);
      expect(new Date(entry.startedDateTime).toISOString()).toBe(entry.startedDateTime);
      expect(entry.time).toBe(0);
      const { request, response } = entry;
      expect(request).toMatchObject({ method: 'POST', url, httpVersion: 'HTTP/1.1', queryString: [], cookies: [], headersSize: -1 });
      expect(request.headers).toContainEqual({ name: 'Content-Type', value: 'application/json' });
      expect(request.headers.find((h: { name: string }) => h.name === 'User-Agent').value).toMatch(/^UA-(Ann|Bob)/);
      expect(request.postData.mimeType).toBe('application/json');
      expect(request.bodySize).toBe(Buffer.byteLength(request.postData.text));
      const sent = JSON.parse(request.postData.text);
      for (const e of sent) expect(Object.keys(e)).not.toContain('serverTimestamp');
      events += sent.length;
      expect(response).toMatchObject({ status: 200, statusText: 'OK', httpVersion: 'HTTP/1.1', cookies: [], redirectURL: '', headersSize: -1 });
      expect(response.headers).toContainEqual({ name: 'Content-Type', value: 'application/json; charset=utf-8' });
      expect(response.content.mimeType).toBe('application/json');
      expect(response.content.size).toBe(Buffer.byteLength(response.content.text));
      expect(response.bodySize).toBe(response.content.size);
      const answer = JSON.parse(response.content.text);
      expect(answer).toEqual({ accepted: sent.length, duplicate: 0, rejected: 0, results: sent.map((e: { eventID: string }, index: number) => ({ index, eventID: e.eventID, status: 'accepted' })) });
      expect(entry.cache).toEqual({});
      expect(entry.timings).toMatchObject({ send: 0, wait: 0, receive: 0 });
    }
    expect(events).toBe(13);
  });

  it('CSV: a row per event, RFC 4180 quoting, formulas neutralised', async () => {
    const c = visitCtx('csv-visit');
    const tricky = ev(c, '=cmd|calc', { pageID: 'p1', url: '@SUM(1+1)', category: '+shop, "best"\nline', data: { note: '-2' } });
    await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), tricky]);
    const res = await fetch(`${lab.companion.url}/lab/export?format=csv&visitId=csv-visit`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers.get('content-disposition')).toMatch(/filename="visitor-lab-visit-csv-visit-[^"]+\.csv"/);
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(['eventID', 'eventName', 'eventType', 'timestamp', 'timestampMs', 'serverTimestamp', 'serverTimestampMs', 'visitID', 'globalVisitID', 'pageID', 'sessionID', 'url', 'category', 'visitorState', 'data']);
    expect(rows).toHaveLength(4);
    const row = Object.fromEntries(rows[0].map((k, i) => [k, rows[3][i]]));
    expect(row).toMatchObject({
      eventID: tricky.eventID,
      eventName: "'=cmd|calc",
      eventType: 'BUSINESS',
      timestamp: new Date(tricky.timestamp).toISOString(),
      timestampMs: String(tricky.timestamp),
      visitID: 'csv-visit',
      pageID: 'p1',
      sessionID: '',
      url: "'@SUM(1+1)",
      category: `'+shop, "best"\nline`,
      visitorState: 'Anonymous',
      data: '{"note":"-2"}',
    });
    expect(new Date(row.serverTimestamp).getTime()).toBe(Number(row.serverTimestampMs));
  });

  it('scoped to a visit: its events only, and the seeded contacts of its identities', async () => {
    const res = await lab.http.get('/lab/export?visitId=story-a');
    expect(res.headers.get('content-disposition')).toMatch(/filename="visitor-lab-visit-story-a-[^"]+\.json"/);
    expect(res.body.scope).toEqual({ visitId: 'story-a' });
    const ids = res.body.requests.flatMap((r: { events: { visitID: string }[] }) => r.events.map((e) => e.visitID));
    expect(new Set(ids)).toEqual(new Set(['story-a']));
    expect(ids).toHaveLength(7);
    expect(res.body.contacts).toEqual([{ contactId: 'contact-ann@shop.test', email: 'ann@shop.test', firstName: 'Ann', lastName: 'Lee' }]);
  });

  it('scoped to an identity (as typed or canonical): the visits it is in', async () => {
    const res = await lab.http.get('/lab/export?format=json&identityId=ANN@shop.test');
    expect(res.status).toBe(200);
    expect(res.body.scope).toEqual({ identityId: 'ann@shop.test' });
    const visits = new Set(res.body.requests.flatMap((r: { events: { visitID: string }[] }) => r.events.map((e) => e.visitID)));
    expect(visits).toEqual(new Set(['story-a']));
    const bob = await lab.http.get('/lab/export?format=csv&identityId=bob-7');
    expect(bob.body.split('\r\n').filter(Boolean)).toHaveLength(1 + 6);
  });

  it('unknown visit or identity: 404', async () => {
    expect((await lab.http.get('/lab/export?visitId=nope')).status).toBe(404);
    const res = await lab.http.get('/lab/export?identityId=nobody');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not_found', message: 'no identity nobody' });
  });

  it('bad parameters: 400 naming the parameter', async () => {
    const cases: [string, string][] = [
      ['format=xml', 'format'],
      ['visitId=', 'visitId'],
      ['identityId=', 'identityId'],
      ['visitId=a&visitId=b', 'visitId'],
      ['visitId=story-a&identityId=bob-7', 'identityId'],
      ['page_size=3', 'page_size'],
    ];
    for (const [query, field] of cases) {
      const res = await lab.http.get(`/lab/export?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body, query).toMatchObject({ error: 'bad_request', field, message: expect.stringContaining(field) });
    }
  });
});
