// Which browser extensions the companion trusts: Visitor Lab's own (its id is fixed by the
// manifest key) and those named with --allow-extension, no other. An extension's CORS request
// carries its origin; a "simple" POST from any other extension would otherwise reset the lab.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EXTENSION_ID, EXTENSION_PUBLIC_KEY, extensionIdOf, extensionOrigin } from '../../companion/server/extension-id';
import { api, removeDir, ROOT, runCli, spawnCompanion, tempDir, type ChildCompanion } from '../helpers/companion';
import { visitCtx, visitStarted } from '../helpers/events';
import { raw } from '../helpers/http';
import { useCompanion } from '../helpers/use-companion';

const OTHER_ID = 'abcdefghijklmnopabcdefghijklmnop';
const FIREFOX = 'moz-extension://0b5e6e0c-1c2d-4f6e-9a8b-7c6d5e4f3a2b';

describe('the extension id', () => {
  // That chromium gives the loaded extension this id: test/e2e/security.test.ts.
  it('is derived from the manifest key: 32 letters a-p', () => {
    expect(EXTENSION_ID).toBe(extensionIdOf(EXTENSION_PUBLIC_KEY));
    expect(EXTENSION_ID).toBe('ejpggenafmfiofodjbhojpnhcmegbgkd');
    expect(EXTENSION_ID).toMatch(/^[a-p]{32}$/);
  });

  it('is built into the extension\'s manifest (when it has been built)', () => {
    const manifest = path.join(ROOT, '.output/chrome-mv3/manifest.json');
    let key: string | undefined;
    try {
      key = JSON.parse(readFileSync(manifest, 'utf8')).key;
    } catch {
      return; // not built here: test/e2e/security.test.ts checks the loaded extension's id
    }
    expect(key).toBe(EXTENSION_PUBLIC_KEY);
  });

  it.each([
    [OTHER_ID, `chrome-extension://${OTHER_ID}`],
    [`chrome-extension://${OTHER_ID}/`, `chrome-extension://${OTHER_ID}`],
    [FIREFOX, FIREFOX],
    ['ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOP', null],
    ['abcdefghijklmnopqrstuvwxyzabcdef', null],
    ['https://evil.test', null],
    ['chrome-extension://x/path', null],
    ['', null],
  ])('--allow-extension %j names %j', (value, origin) => {
    expect(extensionOrigin(value)).toBe(origin);
  });
});

describe('extension origins', () => {
  const lab = useCompanion({ allowExtensions: [`chrome-extension://${OTHER_ID}`, FIREFOX] }, 'all');
  const headers = (origin: string) => ({ host: `127.0.0.1:${lab.companion.port}`, origin, 'content-type': 'text/plain' });
  const events = async () => (await lab.http.get('/lab/health')).body.counts.events as number;

  it.each([`chrome-extension://${'p'.repeat(32)}`, 'moz-extension://another-uuid', 'safari-web-extension://x', 'chrome-extension://'])(
    'another extension %s may neither post, read nor reset',
    async (origin) => {
      const c = visitCtx(`ext-refused-${origin.length}`);
      await lab.http.post('/server/events', visitStarted(visitCtx(`ext-seed-${origin.length}`)));
      const before = await events();
      const post = await raw(lab.companion.port, 'POST', '/server/events', headers(origin), JSON.stringify(visitStarted(c)));
      expect(post.status).toBe(403);
      expect(post.body).toMatchObject({ error: 'forbidden_origin', field: 'Origin' });
      expect(post.headers['access-control-allow-origin']).toBeUndefined();
      const read = await raw(lab.companion.port, 'GET', '/server/data/visits', headers(origin));
      expect(read.status).toBe(403);
      const reset = await raw(lab.companion.port, 'POST', '/lab/reset', headers(origin), '');
      expect(reset.status).toBe(403);
      expect(await events()).toBe(before);
    },
  );

  it.each([`chrome-extension://${EXTENSION_ID}`, `chrome-extension://${OTHER_ID}`, FIREFOX])('%s (ours, or named) may post, read and reset', async (origin) => {
    const c = visitCtx(`ext-trusted-${origin.length}`);
    const post = await raw(lab.companion.port, 'POST', '/server/events', headers(origin), JSON.stringify(visitStarted(c)));
    expect(post.status).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBe(origin);
    const read = await raw(lab.companion.port, 'GET', `/server/data/visits/${c.visitID}`, headers(origin));
    expect(read.status).toBe(200);
    const reset = await raw(lab.companion.port, 'POST', '/lab/reset', headers(origin), '');
    expect(reset.status).toBe(200);
    expect(await events()).toBe(0);
  });
});

describe('--allow-extension on the command line', () => {
  const children: ChildCompanion[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) {
      c.child.kill('SIGTERM');
      await c.exited;
    }
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('is listed by --help', () => {
    const help = runCli(['--help']);
    expect(help.status).toBe(0);
    expect(help.output).toMatch(/--allow-extension ID/);
  });

  it('refuses a value that is neither an id nor an extension origin, naming it', () => {
    const r = runCli(['--allow-extension', 'https://evil.test']);
    expect(r.status).toBe(2);
    expect(r.output).toContain('--allow-extension');
    expect(r.output).toContain('"https://evil.test"');
  });

  it('trusts each extension named (repeatable), and still no other', async () => {
    const data = tempDir('vl-ext-');
    dirs.push(data);
    const c = await spawnCompanion(['--port', '0', '--data', data, '--quiet', '--allow-extension', OTHER_ID, '--allow-extension', FIREFOX]);
    children.push(c);
    const port = Number(new URL(c.url).port);
    const get = (origin: string) => raw(port, 'GET', '/lab/health', { host: `127.0.0.1:${port}`, origin });
    expect((await get(`chrome-extension://${OTHER_ID}`)).status).toBe(200);
    expect((await get(FIREFOX)).status).toBe(200);
    expect((await get(`chrome-extension://${EXTENSION_ID}`)).status).toBe(200);
    expect((await get(`chrome-extension://${'p'.repeat(32)}`)).status).toBe(403);
    expect((await api(c.url).get('/lab/health')).status).toBe(200);
  });
});
