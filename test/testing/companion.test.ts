// startCompanion from the library's source (testing/index.ts): a real companion spawned from the
// bundle, driven over HTTP as a suite would, with the History client and the waiting helpers.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompanionError, startCompanion, waitForEvents, waitForVisitorState, WaitTimeoutError, type Companion } from '../../testing/index';
import { ROOT } from '../helpers/companion';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { tempDirs } from '../helpers/temp-dirs';

let companion: Companion;
beforeAll(async () => {
  companion = await startCompanion();
});
afterAll(() => companion?.stop());

/** A visit that signs pat in (VisitStarted, PageEntered /login, SignIn), posted as the tracker would. */
async function postSignedInVisit(c: Companion, headers: Record<string, string> = {}): Promise<string> {
  const ctx = visitCtx(`v-${Math.random().toString(36).slice(2)}`);
  const events = [visitStarted(ctx), pageEntered(ctx, 'p1', 'http://shop.test/login', 'Sign in'), signIn(ctx, { email: 'pat@shop.test', userId: 'pat' }, 'p1')];
  const a = await c.http.send('POST', '/server/events', events, headers);
  expect(a.status).toBe(200);
  return ctx.visitID;
}

describe('startCompanion', () => {
  it('runs a companion on a free loopback port with its data in a temporary folder', async () => {
    expect(companion.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(companion.url).not.toBe('http://127.0.0.1:9081');
    const health = await companion.health();
    expect(health.status).toBe('ok');
    expect(health.dataDir).toBe(companion.dataDir);
    expect(existsSync(companion.dataDir)).toBe(true);
  });

  it('stop() ends it and removes the temporary folder; a given dataDir is kept', async () => {
    const dataDir = tempDirs('vl-kept-')();
    const own = await startCompanion({ dataDir });
    const other = await startCompanion();
    await Promise.all([own.stop(), other.stop()]);
    await expect(own.health()).rejects.toThrow(/did not answer.*Is it running/);
    expect(existsSync(other.dataDir)).toBe(false);
    expect(existsSync(dataDir)).toBe(true);
    await own.stop(); // twice is fine
  });

  it('a suite that exits without stop() takes its companion and temporary folder with it', async () => {
    const script = `import { startCompanion } from ${JSON.stringify(path.join(ROOT, 'testing/index.ts'))};
const c = await startCompanion();
console.log(JSON.stringify({ url: c.url, dataDir: c.dataDir }));
process.exit(0);`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    const { url, dataDir } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    // SIGKILLed as the suite exited (its end can trail that by a moment).
    await expect.poll(() => fetch(`${url}/lab/health`).then(() => 'answers', () => 'gone'), { timeout: 3000 }).toBe('gone');
    expect(existsSync(path.dirname(dataDir))).toBe(false);
  });

  it('passes categories, contacts and auth on; with auth the handle sends the credentials', async () => {
    const c = await startCompanion({
      auth: 'suite:s3cret',
      categories: [{ name: 'Login', tags: ['login'] }],
      contacts: [{ email: 'pat@shop.test', firstName: 'Pat' }],
    });
    try {
      const bare = await fetch(`${c.url}/lab/health`);
      expect(bare.status).toBe(401);
      expect((await c.health()).counts.contacts).toBe(1);
      const visitId = await postSignedInVisit(c);
      const [entered] = await c.history.eventsByName(visitId, 'PageEntered');
      expect(entered.category).toBe('Login');
    } finally {
      await c.stop();
    }
  });

  it('a companion that cannot start says why, with what it printed', async () => {
    await expect(startCompanion({ visitExpiration: -1 })).rejects.toThrow(/exited \(2\) before listening[\s\S]*--visit-expiration/);
  });

  it('reset() empties the store', async () => {
    const c = await startCompanion();
    try {
      await postSignedInVisit(c);
      await c.reset();
      expect((await c.health()).counts.events).toBe(0);
    } finally {
      await c.stop();
    }
  });
});

describe('history client', () => {
  it('reads visits, a visit with its events and pages, events by name, identities and their visits', async () => {
    const visitId = await postSignedInVisit(companion);
    expect((await companion.history.visits()).map((v) => v.visitId)).toContain(visitId);
    const visit = await companion.history.visit(visitId, { events: true, pages: true });
    expect(visit!.visitorState).toBe('Authenticated');
    expect(visit!.events!.map((e) => e.eventName)).toEqual(['VisitStarted', 'PageEntered', 'SignIn']);
    expect(visit!.pages!.map((p) => p.url)).toContain('http://shop.test/login');
    expect((await companion.history.visitEvents(visitId)).length).toBe(3);
    expect((await companion.history.visitPages(visitId)).length).toBeGreaterThan(0);
    expect((await companion.history.eventsByName(visitId, 'SignIn')).map((e) => e.data)).toEqual([{ email: 'pat@shop.test', userId: 'pat' }]);
    const identity = await companion.history.identity('pat');
    expect(identity!.identityId).toBe('pat');
    expect((await companion.history.identities()).map((i) => i.identityId)).toContain('pat');
    expect((await companion.history.identityVisits('pat')).map((v) => v.visitId)).toContain(visitId);
    expect((await companion.history.identityEvents('pat', { eventName: 'SignIn' })).length).toBeGreaterThan(0);
  });

  it('answers null for a visit or identity that is not there, and an error naming a bad request', async () => {
    expect(await companion.history.visit('no-such-visit')).toBeNull();
    expect(await companion.history.identity('nobody@nowhere.test')).toBeNull();
    const error = await companion.history.visits({ page_size: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CompanionError);
    expect((error as Error).message).toMatch(/GET \/server\/data\/visits\?page_size=0 answered 400: page_size: /);
  });

  it('follows Paging-Next to the end of a collection', async () => {
    const c = await startCompanion();
    try {
      const ctx = visitCtx('v-paged');
      const pages = Array.from({ length: 30 }, (_, i) => pageEntered(ctx, `p${i}`));
      await c.http.json('POST', '/server/events', [visitStarted(ctx), ...pages]);
      expect((await c.history.visitEvents('v-paged', { page_size: 7 })).length).toBe(31);
    } finally {
      await c.stop();
    }
  });
});

describe('waiting helpers', () => {
  it('waitForEvents answers once the events are there (posted after it started waiting)', async () => {
    const c = await startCompanion();
    try {
      const waiting = waitForEvents(c, { eventName: 'SignIn' });
      setTimeout(() => void postSignedInVisit(c), 300);
      const events = await waiting;
      expect(events.map((e) => e.eventName)).toEqual(['SignIn']);
      const visitId = events[0].visitID;
      expect((await waitForEvents(c, { visitId, count: 3 })).length).toBe(3);
      const visit = await waitForVisitorState({ companion: c, visitId }, 'Authenticated');
      expect(visit.visitId).toBe(visitId);
    } finally {
      await c.stop();
    }
  });

  it('waitForEvents, run out, says what it waited for, what was there and what to check', async () => {
    const visitId = await postSignedInVisit(companion);
    const error = (await waitForEvents(companion, { visitId, eventName: 'SignOut' }, { timeout: 300 }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.message).toContain(`waited 300 ms for 1 SignOut event in visit ${visitId}; found instead:`);
    expect(error.message).toMatch(/VisitStarted[\s\S]*PageEntered {2}http:\/\/shop\.test\/login[\s\S]*SignIn .*→ Authenticated/);
    expect(error.message).toContain('the extension is loaded');
    expect(error.message).toContain(`it sends to this companion, ${companion.url}`);
    expect(error.message).toContain('the site is tracked');
  });

  it('waitForVisitorState, run out, says the state the visit is in', async () => {
    const visitId = await postSignedInVisit(companion);
    const error = (await waitForVisitorState({ companion, visitId }, 'Recognized', { timeout: 200 }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(`waited 200 ms for visit ${visitId} to be Recognized; its newest visit ${visitId} is Authenticated`);
  });
});

describe('runs', () => {
  it('run(name) starts one; its events come with X-Lab-Run; get, stop and reset act on it alone', async () => {
    const c = await startCompanion();
    try {
      const run = await c.run('checkout, chromium');
      expect(run.runId).toMatch(/^run-/);
      expect(run.name).toBe('checkout, chromium');
      const inRun = await postSignedInVisit(c, { 'x-lab-run': run.runId });
      const outside = await postSignedInVisit(c);
      const events = await waitForEvents(c, { run: run.runId, count: 3 });
      expect(new Set(events.map((e) => e.visitID))).toEqual(new Set([inRun]));
      expect((await waitForEvents(run, { eventName: 'SignIn' })).map((e) => e.visitID)).toEqual([inRun]);
      const record = await run.get();
      expect(record.visitIds).toEqual([inRun]);
      expect(record.counts.events).toBe(3);
      const stopped = await run.stop();
      expect(stopped.stoppedAt).toBeGreaterThan(0);
      await run.reset();
      expect(await c.history.visit(inRun)).toBeNull();
      expect(await c.history.visit(outside)).not.toBeNull();
    } finally {
      await c.stop();
    }
  });

  it('a run that is not there is an error naming it', async () => {
    const error = (await waitForEvents(companion, { run: 'run-nothere' }, { timeout: 200 }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain('waited 200 ms for 1 event in run run-nothere');
    expect(error.message).toMatch(/the last read failed: GET \/lab\/runs\/run-nothere answered 404/);
  });
});

