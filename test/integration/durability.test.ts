// Data survives: a clean restart, a SIGKILL under load (every acknowledged event is there
// exactly once, the files parse), a corrupt or torn file (refused or cut, never overwritten),
// and a second companion on the same folder (refused).
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCompanion } from '../../companion/companion';
import { SNAPSHOT_FILE } from '../../companion/store/store';
import { api, spawnCompanion, testCompanion } from '../helpers/companion';
import { tempDirs } from '../helpers/temp-dirs';
import { eventsRefFor, readSnapshot, writeSnapshot } from '../helpers/data-files';
import { pageEntered, signIn, visitCtx, visitStarted, ev } from '../helpers/events';

const dir = tempDirs();

function journalText(dataDir: string): string {
  const j = path.join(dataDir, 'journal');
  return readdirSync(j)
    .sort()
    .map((f) => readFileSync(path.join(j, f), 'utf8'))
    .join('');
}

/** The snapshot and its events file, as they are on disk now (file name -> content). */
function snapshotFiles(dataDir: string): Record<string, string> {
  const names = readdirSync(dataDir).filter((f) => f === SNAPSHOT_FILE || /^events-\d+\.jsonl$/.test(f));
  return Object.fromEntries(names.map((f) => [f, readFileSync(path.join(dataDir, f), 'utf8')]));
}

/** The events the snapshot on disk holds, by eventID (read from the events file it names). */
async function snapshotEvents(dataDir: string): Promise<Record<string, unknown>> {
  const snap = await readSnapshot(dataDir);
  if (!snap.events) return {};
  const lines = readFileSync(path.join(dataDir, snap.events.file), 'utf8').split('\n').filter(Boolean);
  return Object.fromEntries(lines.map((l) => [JSON.parse(l.slice(0, l.indexOf('\t'))), JSON.parse(l.slice(l.indexOf('\t') + 1))]));
}

/**
 * A data directory as a crash would leave it: the given journal (and snapshot files, if
 * any), without the snapshot a clean stop writes. Returns the journal file's path too.
 */
function crashedDir(journal: string, files: Record<string, string> = {}): { dataDir: string; journalFile: string } {
  const dataDir = dir();
  mkdirSync(path.join(dataDir, 'journal'));
  for (const [name, content] of Object.entries(files)) writeFileSync(path.join(dataDir, name), content);
  const journalFile = path.join(dataDir, 'journal', 'journal-000000000001.jsonl');
  writeFileSync(journalFile, journal);
  return { dataDir, journalFile };
}

describe('restart', () => {
  it('keeps visits, identities and events across a clean restart', async () => {
    const dataDir = dir();
    const c = visitCtx();
    const events = [visitStarted(c), pageEntered(c, 'p1'), signIn(c, { email: 'ann@shop.test' })];
    let companion = await testCompanion({ dataDir });
    expect((await api(companion.url).post('/server/events', events)).body.accepted).toBe(3);
    const before = (await api(companion.url).get(`/server/data/visits/${c.visitID}?include_events_detail=true&include_pages_detail=true`)).body;
    await companion.close();
    // A clean stop leaves everything in the snapshot and the journal empty.
    expect((await readSnapshot(dataDir)).state.seq).toBeGreaterThan(0);
    expect(journalText(dataDir)).toBe('');

    companion = await testCompanion({ dataDir });
    const after = (await api(companion.url).get(`/server/data/visits/${c.visitID}?include_events_detail=true&include_pages_detail=true`)).body;
    expect(after).toEqual({ ...before, endDate: after.endDate });
    expect((await api(companion.url).get('/server/data/identities/ann@shop.test')).status).toBe(200);
    // Re-sending the same events after the restart is still recognised as duplicates.
    const again = await api(companion.url).post('/server/events', events);
    expect(again.body.duplicate).toBe(3);
    await companion.close();
  });

  it('replays the journal when the snapshot is older than the last events', async () => {
    const dataDir = dir();
    // A tiny snapshot threshold makes the store snapshot mid-run, leaving later records in the journal.
    const companion = await testCompanion({ dataDir, snapshotAfterBytes: 2000 });
    const c = visitCtx();
    const all = [visitStarted(c)];
    for (let i = 0; i < 40; i++) all.push(pageEntered(c, `p${i}`));
    for (const e of all) await api(companion.url).post('/server/events', e);
    // Simulate a crash: drop the store without its closing snapshot by copying the files.
    const files = snapshotFiles(dataDir);
    const journal = journalText(dataDir);
    expect(journal.length).toBeGreaterThan(0);
    expect((await readSnapshot(dataDir)).state.seq).toBeGreaterThan(1);
    expect(Object.keys(files)).toHaveLength(2); // the snapshot and its events file
    await companion.close();
    const restarted = await testCompanion({ dataDir: crashedDir(journal, files).dataDir });
    const visit = (await api(restarted.url).get(`/server/data/visits/${c.visitID}?include_events=true`)).body;
    expect(visit.eventIds).toEqual(all.map((e) => e.eventID));
    await restarted.close();
  });
});

describe('crash', () => {
  it('after SIGKILL under steady intake, every acknowledged event is stored exactly once', async () => {
    const dataDir = dir();
    const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--snapshot-after', '20000']);
    const acked = new Set<string>();
    let stop = false;
    const client = async (n: number) => {
      const c = visitCtx(`crash-v${n}`);
      let batch = 0;
      await fetch(`${first.url}/server/events`, { method: 'POST', body: JSON.stringify(visitStarted(c)) })
        .then(async (r) => r.ok && acked.add((await r.json()).results[0].eventID))
        .catch(() => {});
      while (!stop) {
        const events = Array.from({ length: 10 }, (_, i) => ev(c, 'AddToCart', { eventID: `crash-${n}-${batch}-${i}`, pageID: 'p1' }));
        batch++;
        try {
          const res = await fetch(`${first.url}/server/events`, { method: 'POST', body: JSON.stringify(events) });
          if (res.status !== 200) continue;
          const body = await res.json();
          for (const r of body.results) if (r.status === 'accepted') acked.add(r.eventID);
        } catch {
          return; // the companion is gone: this request was never acknowledged
        }
      }
    };
    const clients = [0, 1, 2, 3].map(client);
    await new Promise((r) => setTimeout(r, 1500));
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(clients);
    expect(acked.size).toBeGreaterThan(100);

    // The files on disk parse as they are (a torn last journal line aside, which start-up cuts).
    if (existsSync(path.join(dataDir, SNAPSHOT_FILE))) await snapshotEvents(dataDir);

    const second = await spawnCompanion(['--port', '0', '--data', dataDir]);
    try {
      const stored: string[] = [];
      for (const n of [0, 1, 2, 3]) {
        const res = await api(second.url).get(`/server/data/visits/crash-v${n}?include_events=true`);
        if (res.status === 200) stored.push(...res.body.eventIds);
      }
      expect(new Set(stored).size).toBe(stored.length); // never twice
      const missing = [...acked].filter((id) => !stored.includes(id));
      expect(missing).toEqual([]); // never lost
      const health = (await api(second.url).get('/lab/health')).body;
      expect(health.counts.events).toBe(stored.length);
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
    // After a clean stop the snapshot parses and holds everything.
    const events = await snapshotEvents(dataDir);
    for (const id of acked) expect(Object.prototype.hasOwnProperty.call(events, id)).toBe(true);
  });

  it('SIGTERM stops the CLI cleanly with everything flushed', async () => {
    const dataDir = dir();
    const child = await spawnCompanion(['--port', '0', '--data', dataDir]);
    const c = visitCtx();
    expect((await api(child.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')])).status).toBe(200);
    child.child.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.output()).toContain('Stopped; everything is on disk.');
    expect(Object.keys(await snapshotEvents(dataDir))).toHaveLength(2);
    expect(existsSync(path.join(dataDir, 'companion.lock'))).toBe(false);
  });
});

describe('bad data on disk', () => {
  it('refuses a corrupt snapshot, naming the file, and leaves it untouched', async () => {
    const dataDir = dir();
    const file = path.join(dataDir, SNAPSHOT_FILE);
    writeFileSync(file, '{"format":1,"state":{"seq":3,"visits":{');
    await expect(startCompanion({ port: 0, host: '127.0.0.1', dataDir, log: () => {} })).rejects.toThrow(
      new RegExp(`${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}.*not valid`),
    );
    expect(readFileSync(file, 'utf8')).toBe('{"format":1,"state":{"seq":3,"visits":{');
  });

  it('refuses a snapshot that is JSON but not Visitor Lab data', async () => {
    const dataDir = dir();
    writeFileSync(path.join(dataDir, SNAPSHOT_FILE), '{"posts":[]}');
    await expect(testCompanion({ dataDir })).rejects.toThrow(/unknown format/);
  });

  it('refuses a snapshot whose records do not hold together, before serving anything', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.close();
    const file = path.join(dataDir, SNAPSHOT_FILE);
    const snap = await readSnapshot(dataDir);
    (snap.state.visits[c.visitID] as { eventIds: unknown }).eventIds = 'oops';
    await writeSnapshot(dataDir, snap.events, snap.state);
    const broken = readFileSync(file, 'utf8');
    await expect(testCompanion({ dataDir })).rejects.toThrow(new RegExp(`visit ${c.visitID} is missing or malformed`));
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('refuses a snapshot whose events file is cut short or missing, naming it', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.close();
    const ref = (await readSnapshot(dataDir)).events!;
    const file = path.join(dataDir, ref.file);
    const cut = readFileSync(file, 'utf8').slice(0, -10);
    writeFileSync(file, cut);
    await expect(testCompanion({ dataDir })).rejects.toThrow(new RegExp(`${ref.file}.*bytes where the snapshot recorded ${ref.bytes}`));
    expect(readFileSync(file, 'utf8')).toBe(cut);
    rmSync(file);
    await expect(testCompanion({ dataDir })).rejects.toThrow(/events file cannot be read/);
  });

  it('refuses an events file with a repeated or malformed line, or missing an event a visit lists', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.close();
    const snap = await readSnapshot(dataDir);
    const file = path.join(dataDir, snap.events!.file);
    const [line1, line2] = readFileSync(file, 'utf8').split('\n');
    const rewrite = async (lines: string[]) => {
      const text = lines.map((l) => `${l}\n`).join('');
      writeFileSync(file, text);
      await writeSnapshot(dataDir, eventsRefFor(snap.events!.file, text, lines.length), snap.state);
    };
    await rewrite([line1, line1]);
    await expect(testCompanion({ dataDir })).rejects.toThrow(/line 2 repeats event/);
    await rewrite([line1, `X${line2.slice(1)}`]);
    await expect(testCompanion({ dataDir })).rejects.toThrow(/line 2 is not an event line/);
    await rewrite([line1]);
    await expect(testCompanion({ dataDir })).rejects.toThrow(new RegExp(`visit ${c.visitID} lists event .*, which is not there`));
  });

  it('the CLI exits with the message instead of starting', async () => {
    const dataDir = dir();
    writeFileSync(path.join(dataDir, SNAPSHOT_FILE), 'garbage');
    await expect(spawnCompanion(['--port', '0', '--data', dataDir])).rejects.toThrow(/exited \(1\)[\s\S]*not valid Visitor Lab data[\s\S]*Move it aside/);
    expect(readFileSync(path.join(dataDir, SNAPSHOT_FILE), 'utf8')).toBe('garbage');
  });

  it('refuses a journal with a broken line in the middle', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', visitStarted(c));
    await companion.store.drain();
    // Keep the journal by not closing cleanly: copy it, then write a broken version.
    const journal = journalText(dataDir);
    await companion.close();
    const { dataDir: copy, journalFile: file } = crashedDir(`{"seq":1,"op":{"kind":"bro\n${journal}`);
    await expect(testCompanion({ dataDir: copy })).rejects.toThrow(/journal-000000000001\.jsonl.*line 1 is not JSON/);
    expect(readFileSync(file, 'utf8')).toBe(`{"seq":1,"op":{"kind":"bro\n${journal}`);
  });

  it('cuts a last journal record torn by a crash (it was never acknowledged) and starts', async () => {
    const dataDir = dir();
    const c = visitCtx();
    const companion = await testCompanion({ dataDir });
    await api(companion.url).post('/server/events', [visitStarted(c)]);
    const journal = journalText(dataDir);
    await companion.close();
    const { dataDir: copy, journalFile: file } = crashedDir(journal);
    appendFileSync(file, '{"seq":2,"op":{"kind":"events","userAgent":null,"ev');
    const restarted = await testCompanion({ dataDir: copy });
    expect((await api(restarted.url).get(`/server/data/visits/${c.visitID}`)).status).toBe(200);
    expect(readFileSync(file, 'utf8')).toBe(journal);
    // It goes on appending after the cut.
    expect((await api(restarted.url).post('/server/events', pageEntered(c, 'p1'))).body.accepted).toBe(1);
    await restarted.close();
  });

  it('refuses a second companion on the same data directory', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    await expect(testCompanion({ dataDir })).rejects.toThrow(/in use by another companion/);
    await companion.close();
    const again = await testCompanion({ dataDir });
    await again.close();
  });
});

describe('the data directory lock', () => {
  it('is taken over when its pid is gone or is not a companion any more', async () => {
    const dataDir = dir();
    // A pid that cannot be running, then one that is running but is not node (this shell's sleep).
    writeFileSync(path.join(dataDir, 'companion.lock'), '999999999');
    const first = await testCompanion({ dataDir });
    await first.close();
    const { spawn } = await import('node:child_process');
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(path.join(dataDir, 'companion.lock'), String(sleeper.pid));
      const second = await testCompanion({ dataDir });
      await second.close();
    } finally {
      sleeper.kill('SIGKILL');
    }
    expect(existsSync(path.join(dataDir, 'companion.lock'))).toBe(false);
  });
});

describe('the events file grows by appending', () => {
  const eventsFiles = (dataDir: string) => readdirSync(dataDir).filter((f) => /^events-\d+\.jsonl$/.test(f));

  it('keeps one events file across snapshots, appending, and reads it whole after a restart', async () => {
    const dataDir = dir();
    // A tiny threshold: a snapshot after nearly every request.
    const companion = await testCompanion({ dataDir, snapshotAfterBytes: 500 });
    const c = visitCtx();
    const all = [visitStarted(c)];
    await api(companion.url).post('/server/events', all[0]);
    await api(companion.url).post('/server/events', pageEntered(c, 'p0')); // first snapshot: the file is made
    await companion.store.drain(); // the snapshot follows the answer
    const [file] = eventsFiles(dataDir);
    expect(file).toMatch(/^events-\d+\.jsonl$/);
    for (let i = 1; i < 15; i++) {
      const e = pageEntered(c, `p${i}`);
      all.push(e);
      await api(companion.url).post('/server/events', e);
    }
    await companion.store.drain();
    expect(eventsFiles(dataDir)).toEqual([file]); // appended to, never rewritten under a new name
    await companion.close();
    expect(eventsFiles(dataDir)).toEqual([file]);
    expect(Object.keys(await snapshotEvents(dataDir))).toHaveLength(16);
    const again = await testCompanion({ dataDir });
    const ids = (await api(again.url).get(`/server/data/visits/${c.visitID}?include_events=true`)).body.eventIds;
    expect(ids).toHaveLength(16);
    expect(ids).toEqual(expect.arrayContaining(all.map((e) => e.eventID)));
    await again.close();
  });

  it('ignores bytes a crash left after what the snapshot recorded, and cuts them at the next snapshot', async () => {
    const dataDir = dir();
    const c = visitCtx();
    let companion = await testCompanion({ dataDir });
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.close();
    const ref = (await readSnapshot(dataDir)).events!;
    const file = path.join(dataDir, ref.file);
    appendFileSync(file, '"half-written-ev'); // an append the crash cut short
    companion = await testCompanion({ dataDir });
    expect((await api(companion.url).get('/lab/health')).body.counts.events).toBe(2);
    await api(companion.url).post('/server/events', pageEntered(c, 'p2'));
    await companion.close();
    expect(readFileSync(file, 'utf8')).not.toContain('half-written');
    expect(Object.keys(await snapshotEvents(dataDir))).toHaveLength(3);
  });

  it('a reset starts a new events file and deletes the old one', async () => {
    const dataDir = dir();
    const c = visitCtx();
    const companion = await testCompanion({ dataDir });
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.store.drain();
    await api(companion.url).post('/lab/reset', {});
    await api(companion.url).post('/server/events', visitStarted(visitCtx()));
    await companion.close();
    expect(eventsFiles(dataDir)).toHaveLength(1);
    expect(Object.keys(await snapshotEvents(dataDir))).toHaveLength(1);
  });
});
