// GET /lab/contacts comes a page at a time (issue 9: no answer of unbounded size), as the
// History API's collections do: page_size (default 100), Paging-Next sent back as page_key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type Api, testCompanion, type TestCompanion } from '../helpers/companion';

let companion: TestCompanion;
let http: Api;
beforeAll(async () => {
  companion = await testCompanion();
  http = api(companion.url);
  const contacts = Array.from({ length: 250 }, (_, i) => ({ contactId: `crm-${String(i).padStart(3, '0')}`, email: `c${i}@shop.test` }));
  expect((await http.post('/lab/contacts', contacts)).status).toBe(201);
});
afterAll(() => companion.close());

describe('GET /lab/contacts', () => {
  it('gives 100 by default with a Paging-Next key, and every contact once, in the order stored', async () => {
    const seen: string[] = [];
    let key: string | null = null;
    let pages = 0;
    do {
      const res = await http.get(`/lab/contacts${key ? `?page_key=${key}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.map((c: { contactId: string }) => c.contactId));
      key = res.headers.get('paging-next');
      pages++;
    } while (key);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 250 }, (_, i) => `crm-${String(i).padStart(3, '0')}`));
  });

  it('takes page_size, refuses a bad one or a key it did not give, naming the parameter', async () => {
    expect((await http.get('/lab/contacts?page_size=7')).body).toHaveLength(7);
    const bad = await http.get('/lab/contacts?page_size=0');
    expect({ status: bad.status, field: bad.body.field }).toEqual({ status: 400, field: 'page_size' });
    const key = await http.get('/lab/contacts?page_key=bm90LWEta2V5');
    expect({ status: key.status, field: key.body.field }).toEqual({ status: 400, field: 'page_key' });
  });

  it('answers [] when the directory is empty', async () => {
    await http.post('/lab/reset', {});
    const res = await http.get('/lab/contacts');
    expect({ status: res.status, body: res.body, next: res.headers.get('paging-next') }).toEqual({ status: 200, body: [], next: null });
  });
});
