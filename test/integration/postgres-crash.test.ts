// Acknowledged means committed, on PostgreSQL too: events are sent without a pause while the
// database server is stopped the hard way (`pg_ctl stop -m immediate`: no checkpoint, its memory
// lost, as a crash) and the companion SIGKILLed. After both restart, every event that was
// answered `accepted` is there. A server of its own (initdb in a temp folder, run as the
// postgres user with Debian's binaries): the suite's shared server must not be crashed.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { api, removeDir, spawnCompanion, type ChildCompanion } from '../helpers/companion';
import { ev, visitCtx, visitStarted } from '../helpers/events';
import { onPostgres } from '../helpers/postgres';

const BIN = process.env.VISITOR_LAB_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const postgresUser = () => spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
const canRun = onPostgres() && process.getuid?.() === 0 && existsSync(path.join(BIN, 'pg_ctl')) && postgresUser().status === 0;

function asPostgres(args: string[]): string {
  const r = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe.runIf(canRun)('a crash of the database server and of the companion', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'vl-pgcrash-'));
  const data = path.join(dir, 'data');
  const port = 20_000 + (process.pid % 20_000);
  const pgCtl = (...args: string[]) => asPostgres([path.join(BIN, 'pg_ctl'), '-D', data, ...args]);
  const children: ChildCompanion[] = [];
  afterAll(() => {
    for (const c of children) c.child.kill('SIGKILL');
    try {
      pgCtl('stop', '-m', 'immediate');
    } catch {
      /* not running */
    }
    removeDir(dir);
  });

  it('loses nothing that was answered accepted', async () => {
    chownSync(dir, Number(postgresUser().stdout.trim()), 0);
    chmodSync(dir, 0o700);
    asPostgres([path.join(BIN, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    const start = () => pgCtl('-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`, 'start');
    start();
    asPostgres([path.join(BIN, 'createdb'), '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'crash']);
    const url = `postgres://postgres@127.0.0.1:${port}/crash`;

    const first = await spawnCompanion(['--port', '0', '--store', url, '--quiet']);
    children.push(first);
    const http = api(first.url);
    const accepted = new Set<string>();
    let sending = true;
    const sender = (async () => {
      for (let n = 0; sending; n++) {
        const c = visitCtx(`crash-${n}`);
        const batch = [visitStarted(c), ...Array.from({ length: 9 }, (_, i) => ev(c, 'Viewed', { pageID: 'p0', data: { i } }))];
        const res = await http.post('/server/events', batch).catch(() => null);
        if (res?.status === 200) for (const r of res.body.results) if (r.status === 'accepted') accepted.add(r.eventID);
      }
    })();
    while (accepted.size < 300) await new Promise((r) => setTimeout(r, 20));
    pgCtl('stop', '-m', 'immediate');
    first.child.kill('SIGKILL');
    sending = false;
    await sender;
    await first.exited;
    expect(accepted.size).toBeGreaterThanOrEqual(300);

    start();
    const second = await spawnCompanion(['--port', '0', '--store', url, '--quiet']);
    children.push(second);
    const stored = new Set<string>();
    let page: string | null = '/server/data/visits?include_events=true&page_size=500';
    while (page) {
      const res = await api(second.url).get(page);
      if (res.status === 204) break;
      for (const v of res.body) for (const id of v.eventIds) stored.add(id);
      const next = res.headers.get('paging-next');
      page = next ? `/server/data/visits?include_events=true&page_size=500&page_key=${next}` : null;
    }
    const lost = [...accepted].filter((id) => !stored.has(id));
    expect(lost, `of ${accepted.size} accepted`).toEqual([]);
  });
});
