// --categories FILE as `npm start -- …` runs it: a good file labels events and replaces what
// the lab API defined at the next start; a bad one stops the start naming the place in it.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, runCli, spawnCompanion, type ChildCompanion } from '../helpers/companion';
import { tempDirs } from '../helpers/temp-dirs';
import { pageEntered, visitCtx } from '../helpers/events';

const dir = tempDirs('vl-cat-');
const children: ChildCompanion[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGTERM');
    await c.exited;
  }
});
function file(d: string, text: string): string {
  const f = path.join(d, 'categories.json');
  writeFileSync(f, text);
  return f;
}

describe('--categories FILE', () => {
  it('is in --help', () => {
    expect(runCli(['--help']).output).toContain('--categories FILE');
  });

  it.each([
    ['[{"name": "Products", "tags": ["products", {"regex": "/cart$"}]},\n {"name": "Bad", "tags": [{"regex": "(["}]}]', '[1].tags[0].regex'],
    ['[{"name": "Products",\n  "tags": ["products",]}]', 'line 2, column 23'],
    ['{"name": "Products", "tags": ["products"]}', 'must be a JSON array'],
    ['[{"name": "Products", "tags": []}]', '[0].tags'],
  ])('a bad file stops the start naming the place: %j', (text, place) => {
    const d = dir();
    const f = file(d, text);
    const { status, output } = runCli(['--port', '0', '--data', path.join(d, 'data'), '--categories', f]);
    expect(status).toBe(1);
    expect(output).toContain(`--categories ${f}`);
    expect(output).toContain(place);
  });

  it('a missing file stops the start', () => {
    const d = dir();
    const { status, output } = runCli(['--port', '0', '--data', d, '--categories', path.join(d, 'nope.json')]);
    expect(status).toBe(1);
    expect(output).toMatch(/--categories .*nope\.json: cannot be read/);
  });

  it('labels events, and at each start replaces what the lab API defined', async () => {
    const d = dir();
    const data = path.join(d, 'data');
    const f = file(d, '[{"name": "Products", "tags": ["products", {"regex": "/cart$"}]}]');
    let c = await spawnCompanion(['--port', '0', '--data', data, '--categories', f, '--quiet']);
    children.push(c);
    await expect.poll(() => c.output()).toContain('categories  Products');
    let http = api(c.url);
    const v = visitCtx('cli-cat');
    expect((await http.post('/server/events', [pageEntered(v, 'p1', 'http://shop.test/cart', 'Cart')])).status).toBe(200);
    expect((await http.get('/server/data/visits/cli-cat/events?category=Products')).body).toMatchObject([{ eventName: 'PageEntered', category: 'Products' }]);
    await http.post('/lab/categories', { name: 'Extra', tags: ['x'] });
    c.child.kill('SIGTERM');
    await c.exited;
    children.pop();

    // Started again without the file: the lab API's set is still there.
    c = await spawnCompanion(['--port', '0', '--data', data, '--quiet']);
    children.push(c);
    http = api(c.url);
    expect((await http.get('/lab/categories')).body.map((x: { name: string }) => x.name)).toEqual(['Products', 'Extra']);
    c.child.kill('SIGTERM');
    await c.exited;
    children.pop();

    // With the file: the file's set.
    c = await spawnCompanion(['--port', '0', '--data', data, '--categories', f, '--quiet']);
    children.push(c);
    http = api(c.url);
    expect((await http.get('/lab/categories')).body.map((x: { name: string }) => x.name)).toEqual(['Products']);
  });
});
