// `visitor-lab export` and `visitor-lab import` against real companions over loopback.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { visitorLab } from '../helpers/cli';
import { api, removeDir, testCompanion } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { tempDirs } from '../helpers/temp-dirs';
import { useCompanion } from '../helpers/use-companion';

const dir = tempDirs('vl-cli-x-');
const lab = useCompanion();

async function storeVisit(visitID: string): Promise<void> {
  const c = visitCtx(visitID);
  const res = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: `${visitID}@shop.test` })]);
  expect(res.body.accepted).toBe(3);
}

describe('export', () => {
  it('--out writes the whole export to the file and says so; stdout gets csv', async () => {
    await storeVisit('x-v1');
    const d = dir();
    const out = path.join(d, 'lab.json');
    const r = await visitorLab(['export', '--companion', lab.companion.url, '--out', out]);
    expect(r.stderr).toBe(`exported json to ${out}\n`);
    expect(r.status).toBe(0);
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    expect(exported.format).toBeDefined();
    expect(JSON.stringify(exported)).toContain('x-v1@shop.test');
    expect(readdirSync(d)).toEqual(['lab.json']); // no part file left beside it

    const csv = await visitorLab(['export', '--format', 'csv', '--visit', 'x-v1'], { env: { ...process.env, VISITOR_LAB_URL: lab.companion.url } });
    expect(csv.status).toBe(0);
    expect(csv.stdout.split('\r\n').filter((l) => l.includes('x-v1')).length).toBe(3);
  });

  it('a refused query exits 2 naming the field; a file it cannot write exits 1 leaving nothing', async () => {
    const both = await visitorLab(['export', '--companion', lab.companion.url, '--visit', 'a', '--identity', 'b']);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe('visitor-lab: export: the companion answered 400: identityId: give visitId or identityId, not both\n');
    const format = await visitorLab(['export', '--format', 'xml']);
    expect(format.status).toBe(2);
    expect(format.stderr).toContain('--format must be json, har or csv, not "xml"');
    const nowhere = path.join(dir(), 'missing', 'lab.json');
    const r = await visitorLab(['export', '--companion', lab.companion.url, '--out', nowhere]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^visitor-lab: export to .*lab\.json failed \(nothing written\): ENOENT/);
    expect(existsSync(path.dirname(nowhere))).toBe(false);
  });
});

describe('import', () => {
  it('imports an export into another companion and says what it took; twice changes nothing', async () => {
    await storeVisit('x-v2');
    const file = path.join(dir(), 'lab.json');
    expect((await visitorLab(['export', '--companion', lab.companion.url, '--out', file])).status).toBe(0);
    const other = await testCompanion();
    try {
      const first = await visitorLab(['import', file, '--companion', other.url]);
      expect(first.stderr).toBe('');
      expect(first.status).toBe(0);
      expect(first.stdout).toBe(`imported ${file} (json): 1 request; events 3 accepted, 0 duplicate, 0 rejected; 0 contacts\n`);
      const again = await visitorLab(['import', file, '--companion', other.url, '--json']);
      expect(again.status).toBe(0);
      expect(JSON.parse(again.stdout).events).toEqual({ accepted: 0, duplicate: 3, rejected: 0 });
      expect((await api(other.url).get('/server/data/visits/x-v2')).body.visitorState).toBe('Authenticated');
    } finally {
      await other.close();
      removeDir(other.dataDir);
    }
  });

  it('a HAR with a rejected event: the rest imported, a line for the rejection, exit 1', async () => {
    const c = visitCtx('x-har');
    const events = [visitStarted(c), signIn(c, { userId: '__proto__' })];
    const har = { log: { version: '1.2', creator: { name: 'test', version: '1' }, entries: [{
      startedDateTime: new Date(c.t).toISOString(),
      request: { method: 'POST', url: 'http://127.0.0.1:9081/server/events', headers: [], postData: { mimeType: 'application/json', text: JSON.stringify(events) } },
    }] } };
    const file = path.join(dir(), 'lab.har');
    writeFileSync(file, JSON.stringify(har));
    const r = await visitorLab(['import', file, '--companion', lab.companion.url]);
    expect(r.status).toBe(1);
    const [summary, rejection] = r.stdout.trimEnd().split('\n');
    expect(summary).toBe(`imported ${file} (har): 1 request; events 1 accepted, 0 duplicate, 1 rejected; 0 contacts`);
    expect(rejection).toMatch(new RegExp(`^  rejected log\\.entries\\[0\\] #1 ${events[1].eventID}: data\\.userId: `));
    expect((await lab.http.get('/server/data/visits/x-har')).status).toBe(200);
  });

  it('a file that is not an export exits 2 with the field; an unreadable file exits 2', async () => {
    const d = dir();
    const bad = path.join(d, 'bad.json');
    writeFileSync(bad, JSON.stringify({ log: { entries: [] } }));
    const r = await visitorLab(['import', bad, '--companion', lab.companion.url]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^visitor-lab: importing .*bad\.json: the companion answered 400: log\.entries: /);
    const missing = await visitorLab(['import', path.join(d, 'none.json'), '--companion', lab.companion.url]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*none\.json: ENOENT/);
  });
});

describe('--help', () => {
  it.each([
    ['check', ['--companion', '--run', '--visit', '--reporter', '--auth', 'Exit code']],
    ['export', ['--format', '--run', '--visit', '--identity', '--out', '--companion', '--auth']],
    ['import', ['FILE', '--companion', '--auth', '--json']],
    ['start', ['--port', '--data', '--auth', '--quiet']],
  ])('%s --help lists its options and exits 0', async (command, words) => {
    const r = await visitorLab([command, '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`visitor-lab ${command}`);
    for (const w of words) expect(r.stdout).toContain(w);
  });

  it('the command list, the version, and an unknown command (exit 2)', async () => {
    const help = await visitorLab(['--help']);
    for (const c of ['start', 'check SPEC', 'export', 'import FILE']) expect(help.stdout).toContain(`  ${c}`);
    const version = await visitorLab(['--version']);
    expect(version.stdout).toBe(`${JSON.parse(readFileSync(path.join(import.meta.dirname, '../../package.json'), 'utf8')).version}\n`);
    const unknown = await visitorLab(['chekc', 'spec.json']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('visitor-lab: "chekc" is not a command (start, check, export, import).\nRun visitor-lab --help for the commands.\n');
  });
});
