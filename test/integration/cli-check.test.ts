// `visitor-lab check SPEC` against a real companion over loopback: exit 0 when the spec holds,
// 1 when it does not, 2 when the check cannot be made, with each reporter's output.
import { DOMParser } from '@xmldom/xmldom';
import { writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckReport, Spec } from '../../protocol/expectations/types';
import { visitorLab } from '../helpers/cli';
import { removeDir, testCompanion } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { tempDirs } from '../helpers/temp-dirs';
import { useCompanion } from '../helpers/use-companion';

const dir = tempDirs('vl-cli-check-');
const lab = useCompanion();

const signedIn: Spec = {
  name: 'sign-in',
  visits: [{ steps: [{ event: 'VisitStarted' }, { event: 'PageEntered', url: '/login' }, { event: 'SignIn', data: { email: 'pat@shop.test' } }, { state: 'Authenticated' }] }],
};
const signedOut: Spec = { name: 'sign-out', visits: [{ name: 'signs out', steps: [{ event: 'SignIn' }, { event: 'SignOut' }] }] };

function specFile(spec: unknown, name = 'spec.json'): string {
  const file = path.join(dir(), name);
  writeFileSync(file, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return file;
}

async function signInVisit(visitID: string, headers: Record<string, string> = {}): Promise<void> {
  const c = visitCtx(visitID);
  const res = await lab.http.post('/server/events', [visitStarted(c), pageEntered(c, 'p1', 'http://shop.test/login'), signIn(c, { email: 'pat@shop.test' })], headers);
  expect(res.body.accepted).toBe(3);
}

const check = (args: string[]) => visitorLab(['check', ...args, '--companion', lab.companion.url]);

describe('exit codes and reporters', () => {
  it('0 and a text report when the spec holds', async () => {
    await signInVisit('chk-v1');
    const r = await check([specFile(signedIn)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('✓ passed  sign-in  (everything, 1 visit)');
    expect(r.stdout).toContain('  ✓ passed  visit 1 (visits[0]): visit chk-v1');
    expect(r.stdout).toMatch(/\n1 passed, 0 failed\n$/);
  });

  it('1 when it does not, with the failure in text, JUnit XML and JSON', async () => {
    await signInVisit('chk-v2');
    const file = specFile(signedOut);
    const text = await check([file]);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain('✗ failed  sign-out');
    expect(text.stdout).toContain('  ✗ failed  signs out (visits[0])');
    expect(text.stdout).toContain('closest visit: chk-v2');

    const junit = await check([file, '--reporter', 'junit']);
    expect(junit.status).toBe(1);
    const doc = new DOMParser().parseFromString(junit.stdout, 'text/xml');
    expect(doc.getElementsByTagName('testsuite')[0].getAttribute('name')).toBe('sign-out');
    expect(doc.getElementsByTagName('failure').length).toBe(1);

    const json = await check([file, '--reporter', 'json']);
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as CheckReport;
    expect(report.passed).toBe(false);
    expect(report.summary).toEqual({ passed: 0, failed: 1 });
  });

  it('--visit and --run scope the check', async () => {
    await signInVisit('chk-v3');
    const other = visitCtx('chk-v4');
    await lab.http.post('/server/events', [visitStarted(other)]);
    const file = specFile(signedIn);
    expect((await check([file, '--visit', 'chk-v3'])).status).toBe(0);
    expect((await check([file, '--visit', 'chk-v4'])).status).toBe(1);

    const run = (await lab.http.post('/lab/runs', { name: 'checkout, Chrome' })).body.runId as string;
    const empty = (await lab.http.post('/lab/runs', { name: 'nothing' })).body.runId as string;
    await signInVisit('chk-v5', { 'X-Lab-Run': run });
    const inRun = await check([file, '--run', run, '--reporter', 'json']);
    expect(inRun.status).toBe(0);
    expect(JSON.parse(inRun.stdout).scope).toMatchObject({ run, visits: 1 });
    expect((await check([file, '--run', empty])).status).toBe(1);
  });
});

describe('exit 2: the check could not be made', () => {
  it('a spec that is wrong names the place in it', async () => {
    const r = await check([specFile({ visits: [{ steps: [{ state: 'Happy' }] }] })]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^visitor-lab: the spec .*spec\.json is wrong at visits\[0\]\.steps\[0\]\.state: .+\n$/);
  });

  it('a file that is missing or not JSON (YAML is not read)', async () => {
    const missing = await check([path.join(dir(), 'none.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^visitor-lab: cannot read the spec .*none\.json: ENOENT/);
    const yaml = await check([specFile('visits:\n  - steps: []\n', 'spec.yaml')]);
    expect(yaml.status).toBe(2);
    expect(yaml.stderr).toMatch(/^visitor-lab: the spec .*spec\.yaml is not JSON \(specs are JSON; YAML is not read\): /);
  });

  it('a companion that cannot be reached says what to do in one line', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const r = await visitorLab(['check', specFile(signedIn)], { env: { ...process.env, VISITOR_LAB_URL: `http://127.0.0.1:${port}` } });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `visitor-lab: cannot reach the companion at http://127.0.0.1:${port} (ECONNREFUSED). Start one with \`visitor-lab start\` (or \`npm start\`), or point --companion (or VISITOR_LAB_URL) at the one running.\n`,
    );
    // A wrong spec is found before anything is sent: named the same with no companion at all.
    const wrong = await visitorLab(['check', specFile({ visits: [{ steps: [{ event: 'SignIn', URL: '/login' }] }] })], { env: { ...process.env, VISITOR_LAB_URL: `http://127.0.0.1:${port}` } });
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/is wrong at visits\[0\]\.steps\[0\]\.URL: /);
  });

  it('a run or visit the companion does not know (its 404, said in one line)', async () => {
    const run = await check([specFile(signedIn), '--run', 'no-such-run']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^visitor-lab: checking .*spec\.json: the companion answered 404: run: no run no-such-run/);
    const visit = await check([specFile(signedIn), '--visit', 'no-such-visit']);
    expect(visit.status).toBe(2);
    expect(visit.stderr).toMatch(/the companion answered 404: visitId: no visit no-such-visit/);
  });

  it('a companion behind --auth: without credentials, says to pass --auth; with them, checks', async () => {
    const guarded = await testCompanion({ auth: 'qa:secret' });
    try {
      const file = specFile(signedOut);
      const without = await visitorLab(['check', file, '--companion', guarded.url]);
      expect(without.status).toBe(2);
      expect(without.stderr).toContain('asks for credentials: pass --auth USER:PASS');
      const withAuth = await visitorLab(['check', file, '--companion', guarded.url, '--auth', 'qa:secret']);
      expect(withAuth.status).toBe(1); // nothing captured: the spec does not hold
    } finally {
      await guarded.close();
      removeDir(guarded.dataDir);
    }
  });

  it.each([
    [['--reporter', 'tap'], '--reporter must be text, junit or json, not "tap"'],
    [['--companion', 'nowhere'], '--companion must be a URL'],
    [['--bogus'], "Unknown option '--bogus'"],
  ])('refused flags %j', async (flags, message) => {
    const r = await visitorLab(['check', specFile(signedIn), ...flags]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('visitor-lab check --help');
  });
});
