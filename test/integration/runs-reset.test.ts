// POST /lab/reset?run=: a run's visits forgotten whole, and the run; what is forgotten stays
// forgotten across a restart, whether the forget was snapshotted or only journaled, and after
// a SIGKILL right after the answer.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../../companion/store/store';
import { api, spawnCompanion, testCompanion, type Api } from '../helpers/companion';
import { readSnapshot } from '../helpers/data-files';
import { tempDirs } from '../helpers/temp-dirs';
import { pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';
import { onPostgres } from '../helpers/postgres';

const dir = tempDirs();

async function startRun(http: Api, name: string): Promise<string> {
  const res = await http.post('/lab/runs', { name });
  expect(res.status).toBe(201);
  return res.body.runId;
}

/** Two runs: A's visit signs in pat (also in B's visit) and kim (only in A's); B's visit is untouched by the reset. */
async function twoRuns(http: Api) {
  await http.post('/lab/contacts', { email: 'kim@example.com', contactId: 'c-kim' });
  const runA = await startRun(http, 'A');
  const runB = await startRun(http, 'B');
  const a = visitCtx();
  const b = visitCtx();
  const aEvents = [visitStarted(a), pageEntered(a, 'p1'), signIn(a, { email: 'pat@example.com' }), signIn(a, { email: 'kim@example.com' })];
  const bEvents = [visitStarted(b), pageEntered(b, 'p1'), signIn(b, { email: 'pat@example.com' })];
  expect((await http.post('/server/events', aEvents, { 'X-Lab-Run': runA })).body.accepted).toBe(4);
  expect((await http.post('/server/events', bEvents, { 'X-Lab-Run': runB })).body.accepted).toBe(3);
  return { runA, runB, a, b, aEvents, bEvents };
}

/** What the companion serves of the two runs' data. */
async function seen(http: Api, s: Awaited<ReturnType<typeof twoRuns>>) {
  const status = async (p: string) => (await http.get(p)).status;
  const exported = (await http.get('/lab/export')).body as { requests: { events: { eventID: string }[] }[] };
  const stored = exported.requests.flatMap((r) => r.events.map((e) => e.eventID));
  return {
    runA: await status(`/lab/runs/${s.runA}`),
    visitA: await status(`/server/data/visits/${s.a.visitID}`),
    eventsA: s.aEvents.map((e) => stored.includes(e.eventID)),
    visitB: await status(`/server/data/visits/${s.b.visitID}`),
    eventsB: s.bEvents.map((e) => stored.includes(e.eventID)),
    kim: await status('/server/data/identities/kim@example.com'),
    patVisits: ((await http.get(`/server/data/identities/pat@example.com/visits`)).body as { visitId: string }[]).map((v) => v.visitId),
    contactKim: await status('/lab/contacts/c-kim'),
    health: (await http.get('/lab/health')).body.counts,
  };
}

const FORGOTTEN = (s: Awaited<ReturnType<typeof twoRuns>>) => ({
  runA: 404,
  visitA: 404,
  eventsA: [false, false, false, false],
  visitB: 200,
  eventsB: [true, true, true],
  kim: 404, // left with no visit
  patVisits: [s.b.visitID],
  contactKim: 200, // contacts stay
  health: expect.objectContaining({ visits: 1, events: 3, identities: 1, pages: 1, sessions: 1 }),
});

function snapshotEventIds(dataDir: string): string[] {
  const names = readdirSync(dataDir).filter((f) => /^events-\d+\.jsonl$/.test(f));
  return names.flatMap((f) => readFileSync(path.join(dataDir, f), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l.slice(0, l.indexOf('\t')))));
}

describe('POST /lab/reset?run=', () => {
  it("forgets the run's visits whole and the run; other runs' visits, identities and contacts stay", async () => {
    const c = await testCompanion({ dataDir: dir() });
    const http = api(c.url);
    try {
      const s = await twoRuns(http);
      const res = await http.post(`/lab/reset?run=${s.runA}`, undefined);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'reset', run: s.runA });
      expect(await seen(http, s)).toEqual(FORGOTTEN(s));
      expect((await http.get(`/lab/runs/${s.runB}`)).body.visitIds).toEqual([s.b.visitID]);
      // The forgotten events may be sent again: they are new now.
      expect((await http.post('/server/events', s.aEvents)).body.accepted).toBe(4);
    } finally {
      await c.close();
    }
  });

  it("forgets a visit whole even when another run also had events in it", async () => {
    const c = await testCompanion({ dataDir: dir() });
    const http = api(c.url);
    try {
      const s = await twoRuns(http);
      await http.post('/server/events', [pageEntered(s.a, 'p2')], { 'X-Lab-Run': s.runB });
      await http.post(`/lab/reset?run=${s.runA}`, undefined);
      expect((await http.get(`/server/data/visits/${s.a.visitID}`)).status).toBe(404);
      const b = (await http.get(`/lab/runs/${s.runB}`)).body;
      expect(b.visitIds).toEqual([s.b.visitID]);
      expect(b.counts.events).toBe(3);
    } finally {
      await c.close();
    }
  });

  it('POST /lab/reset without run forgets everything, runs included', async () => {
    const c = await testCompanion({ dataDir: dir() });
    const http = api(c.url);
    try {
      await twoRuns(http);
      await http.post('/lab/runs', { name: 'active', active: true });
      await http.post('/lab/reset', undefined);
      expect((await http.get('/lab/runs')).body).toEqual([]);
      const v = visitCtx();
      await http.post('/server/events', [visitStarted(v)]); // no active run left to take it
      expect((await http.get('/lab/runs')).body).toEqual([]);
    } finally {
      await c.close();
    }
  });

  // These two are about the embedded store's snapshot and journal files.
  it.skipIf(onPostgres())('stays forgotten after a restart once snapshotted: the new events file holds none of them, and later appends to it load', async () => {
    const dataDir = dir();
    let c = await testCompanion({ dataDir, snapshotAfterBytes: 500 });
    let s: Awaited<ReturnType<typeof twoRuns>>;
    try {
      s = await twoRuns(api(c.url));
      await api(c.url).post(`/lab/reset?run=${s.runA}`, undefined);
      // More intake after the forget's snapshot: appended to the new events file.
      const more = visitCtx();
      await api(c.url).post('/server/events', [visitStarted(more)]);
    } finally {
      await c.close();
    }
    const ids = snapshotEventIds(dataDir);
    for (const e of s.aEvents) expect(ids).not.toContain(e.eventID);
    for (const e of s.bEvents) expect(ids).toContain(e.eventID);
    c = await testCompanion({ dataDir });
    try {
      const after = await seen(api(c.url), s);
      expect(after).toEqual({ ...FORGOTTEN(s), health: expect.objectContaining({ visits: 2, events: 4 }) });
      expect((await api(c.url).get(`/lab/runs/${s.runB}`)).body.counts.events).toBe(3);
    } finally {
      await c.close();
    }
  });

  it.skipIf(onPostgres())('stays forgotten after a restart when only the journal holds the forget (the snapshot before it holds the events)', async () => {
    const dataDir = dir();
    let c = await testCompanion({ dataDir });
    let s: Awaited<ReturnType<typeof twoRuns>>;
    try {
      s = await twoRuns(api(c.url));
    } finally {
      await c.close(); // a snapshot holding everything, the journal empty
    }
    for (const e of s.aEvents) expect(snapshotEventIds(dataDir)).toContain(e.eventID);
    // The data folder as a crash right after the forget was journaled would leave it.
    const { state } = await readSnapshot(dataDir);
    const journalDir = path.join(dataDir, 'journal');
    mkdirSync(journalDir, { recursive: true });
    for (const f of readdirSync(journalDir)) writeFileSync(path.join(journalDir, f), '');
    const record = { seq: state.seq + 1, op: { kind: 'forget', visitIds: [], runIds: [s.runA] } };
    writeFileSync(path.join(journalDir, `journal-${String(state.seq + 1).padStart(12, '0')}.jsonl`), JSON.stringify(record) + '\n');
    c = await testCompanion({ dataDir });
    try {
      expect(await seen(api(c.url), s)).toEqual(FORGOTTEN(s));
    } finally {
      await c.close();
    }
    // The snapshot the clean stop wrote does not bring them back either.
    for (const e of s.aEvents) expect(snapshotEventIds(dataDir)).not.toContain(e.eventID);
    expect(readdirSync(dataDir)).toContain(SNAPSHOT_FILE);
  });

  it('stays forgotten after a SIGKILL right after the answer', async () => {
    for (const snapshotAfter of ['300', '100000000']) {
      const dataDir = dir();
      const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--snapshot-after', snapshotAfter]);
      const s = await twoRuns(api(first.url));
      expect((await api(first.url).post(`/lab/reset?run=${s.runA}`, undefined)).status).toBe(200);
      first.child.kill('SIGKILL');
      await first.exited;
      const second = await spawnCompanion(['--port', '0', '--data', dataDir]);
      try {
        expect(await seen(api(second.url), s), `--snapshot-after ${snapshotAfter}`).toEqual(FORGOTTEN(s));
      } finally {
        second.child.kill('SIGTERM');
        await second.exited;
      }
    }
  });

  it('keeps runs, their members and the active run across a SIGKILL (replayed from the journal)', async () => {
    const dataDir = dir();
    const first = await spawnCompanion(['--port', '0', '--data', dataDir]);
    const http = api(first.url);
    const s = await twoRuns(http);
    const active = (await http.post('/lab/runs', { name: 'active', active: true })).body.runId;
    const v = visitCtx();
    await http.post('/server/events', [visitStarted(v), { eventID: 'broken' }]);
    const before = await Promise.all([s.runA, s.runB, active].map(async (id) => (await http.get(`/lab/runs/${id}`)).body));
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await spawnCompanion(['--port', '0', '--data', dataDir]);
    try {
      const after = await Promise.all([s.runA, s.runB, active].map(async (id) => (await api(second.url).get(`/lab/runs/${id}`)).body));
      expect(after).toEqual(before);
      expect(after[2]).toMatchObject({ active: true, visitIds: [v.visitID], counts: { events: 1, rejected: 1 } });
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });
});
