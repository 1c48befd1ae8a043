// The CLI as `npm start -- …` runs it: help, defaults, every flag, refused flags.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { api, removeDir, runCli, spawnCompanion, tempDir, type ChildCompanion } from '../helpers/companion';

const dirs: string[] = [];
const children: ChildCompanion[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGTERM');
    await c.exited;
  }
  for (const d of dirs.splice(0)) removeDir(d);
});
function dir(): string {
  const d = tempDir('vl-cli-');
  dirs.push(d);
  return d;
}
async function start(args: string[], env?: NodeJS.ProcessEnv): Promise<ChildCompanion> {
  const c = await spawnCompanion(args, { env });
  children.push(c);
  return c;
}
const basic = (cred: string) => ({ authorization: 'Basic ' + Buffer.from(cred).toString('base64') });

describe('--help', () => {
  it('explains every flag and exits 0', () => {
    const { status, output } = runCli(['--help']);
    expect(status).toBe(0);
    for (const flag of ['--port', '--host', '--data', '--contacts', '--auth', '--allow-origin', '--visit-expiration', '--snapshot-after', '--quiet', '--help', '--version']) {
      expect(output).toContain(flag);
    }
    expect(output).toMatch(/default 9081/);
    expect(output).toMatch(/default 127\.0\.0\.1/);
    expect(output).toMatch(/~\/\.visitor-lab\/data/);
  });
});

describe('refused flags exit 2 with a message naming the flag', () => {
  it.each([
    [['--bogus'], /bogus/],
    [['--port', 'abc'], /--port/],
    [['--port', '70000'], /--port/],
    [['--auth', 'nocolon'], /--auth/],
    [['--visit-expiration', '-1'], /--visit-expiration/],
    [['--allow-origin', 'shop.test'], /--allow-origin/],
    [['--snapshot-after', 'lots'], /--snapshot-after/],
  ])('%j', (args, message) => {
    const { status, output } = runCli(args as string[]);
    expect(status).toBe(2);
    expect(output).toMatch(message);
    expect(output).toContain('--help');
  });

  it('a seed file that is not valid stops the start with its name (exit 1)', () => {
    const d = dir();
    const file = path.join(d, 'contacts.json');
    writeFileSync(file, '[{"firstName":"NoIdentifier"}]');
    const { status, output } = runCli(['--port', '0', '--data', d, '--contacts', file]);
    expect(status).toBe(1);
    expect(output).toContain(file);
    expect(output).toContain('[0].userId');
  });
});

/** Whether a server could listen on the port right now. */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (e: NodeJS.ErrnoException) => (e.code === 'EADDRINUSE' ? resolve(false) : reject(e)));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

describe('defaults', () => {
  it('listens on 127.0.0.1:9081 with its data in ~/.visitor-lab/data', async ({ annotate }) => {
    const home = mkdtempSync(path.join(tmpdir(), 'vl-home-'));
    dirs.push(home);
    const dataDir = path.join(home, '.visitor-lab', 'data');
    const started = await start([], { ...process.env, HOME: home }).catch((e: Error) => e);
    if (started instanceof Error) {
      // Something (a developer's `npm start`, say) listens on 127.0.0.1:9081 already. Then the
      // CLI must have said so, naming it, after opening the default data directory; and the
      // port must really be taken.
      expect(started.message).toMatch(/exited \(1\) before listening:\s*visitor-lab: Port 9081 on 127\.0\.0\.1 is in use.*--port/);
      expect(await portFree(9081, '127.0.0.1')).toBe(false);
      expect(existsSync(dataDir)).toBe(true);
      expect(existsSync(path.join(dataDir, 'companion.lock'))).toBe(false);
      await annotate('127.0.0.1:9081 is taken: checked the in-use message instead of a start on the default port', 'notice');
      return;
    }
    const c = started;
    expect(c.url).toBe('http://127.0.0.1:9081');
    const health = (await api(c.url).get('/lab/health')).body;
    expect(health.dataDir).toBe(dataDir);
    expect(health.visitExpirationTime).toBe(86400);
    expect(existsSync(path.join(dataDir, 'companion.lock'))).toBe(true);
    await expect.poll(() => c.output()).toContain('http://127.0.0.1:9081/server/data/');
  });
});

describe('an address it cannot listen on stops the start with a message (exit 1)', () => {
  it('a port in use names the port and host and points to --port', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const d = dir();
      const { status, output } = runCli(['--port', String(port), '--data', d]);
      expect(status).toBe(1);
      expect(output).toMatch(new RegExp(`^visitor-lab: Port ${port} on 127\\.0\\.0\\.1 is in use .*use --port to pick another port`));
      expect(output).not.toContain('    at '); // a message, not a stack
      expect(existsSync(path.join(d, 'companion.lock'))).toBe(false); // the data directory is let go
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('a host that is not an address of this machine names it', () => {
    // 192.0.2.0/24 is TEST-NET-1: documentation only, never a local address.
    const { status, output } = runCli(['--port', '0', '--host', '192.0.2.1', '--data', dir()]);
    expect(status).toBe(1);
    expect(output).toContain('--host 192.0.2.1 is not an address of this machine');
  });
});

describe('flags', () => {
  it('--host, --auth, --contacts and --visit-expiration take effect', async () => {
    const d = dir();
    const seed = path.join(d, 'seed.json');
    writeFileSync(seed, JSON.stringify([{ contactId: 'crm-1', email: 'ann@shop.test' }]));
    const c = await start(['--port', '0', '--host', '127.0.0.2', '--data', path.join(d, 'data'), '--contacts', seed, '--auth', 'qa:secret', '--visit-expiration', '120']);
    expect(c.url).toMatch(/^http:\/\/127\.0\.0\.2:\d+$/);
    const http = api(c.url);
    expect((await http.get('/lab/contacts')).status).toBe(401);
    const contacts = await http.get('/lab/contacts', basic('qa:secret'));
    expect(contacts.body).toEqual([{ contactId: 'crm-1', email: 'ann@shop.test', origin: 'seed' }]);
    expect((await http.get('/lab/health', basic('qa:secret'))).body.visitExpirationTime).toBe(120);
    await expect.poll(() => c.output()).toContain('need HTTP Basic credentials');
  });

  it('`visitor-lab start [flags]` (what npm start runs) is the same as the flags alone', async () => {
    const c = await start(['start', '--port', '0', '--data', dir(), '--visit-expiration', '60']);
    expect((await api(c.url).get('/lab/health')).body.visitExpirationTime).toBe(60);
    const refused = runCli(['start', '--port', 'abc']);
    expect(refused.status).toBe(2);
    expect(refused.output).toContain('--port must be a port number');
  });

  it('SIGINT stops it after flushing, and a second start reads the same data', async () => {
    const d = dir();
    const c = await start(['--port', '0', '--data', d]);
    const T = Date.now();
    await api(c.url).post('/server/events', { eventType: 'SYSTEM', eventName: 'VisitStarted', eventID: 'cli-e1', timestamp: T, globalVisitID: 'g', visitID: 'cli-v' });
    children.splice(children.indexOf(c), 1);
    c.child.kill('SIGINT');
    expect(await c.exited).toBe(0);
    expect(c.output()).toContain('SIGINT: stopping');
    const again = await start(['--port', '0', '--data', d]);
    await expect.poll(() => again.output()).toContain('(1 events, 1 visits)');
    expect((await api(again.url).get('/server/data/visits/cli-v')).status).toBe(200);
  });
});

describe('intake log', () => {
  it('prints a line per intake request naming rejected fields, and none with --quiet', async () => {
    const T = Date.now();
    const good = { eventType: 'SYSTEM', eventName: 'VisitStarted', eventID: 'log-e1', timestamp: T, globalVisitID: 'g', visitID: 'log-v' };
    const bad = { eventType: 'SYSTEM', eventName: 'SignIn', eventID: 'log-e2', timestamp: T, globalVisitID: 'g', visitID: 'log-v', data: { userId: '__proto__' } };
    const loud = await start(['--port', '0', '--data', dir()]);
    await api(loud.url).post('/server/events', [good, good, bad]);
    await expect.poll(() => loud.output()).toMatch(/events: 1 accepted, 1 duplicate, 1 rejected \(#2 log-e2: data\.userId: must not be "__proto__"/);
    const quiet = await start(['--port', '0', '--data', dir(), '--quiet']);
    await api(quiet.url).post('/server/events', [good, bad]);
    await api(quiet.url).get('/lab/health');
    expect(quiet.output()).not.toContain('events:');
  });
});
