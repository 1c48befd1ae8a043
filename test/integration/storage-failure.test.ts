// A disk that refuses writes (here: a file-size limit, so writes fail with EFBIG, as a full
// disk fails with ENOSPC): intake answers with an error instead of acknowledging, keeps
// nothing of the failed request, and what it did acknowledge survives. A read-only data
// directory: refused at start with what to do; turned read-only while running, nothing
// acknowledged is lost.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../../companion/store/store';
import { api, removeDir, spawnCompanion, tempDir, type ChildCompanion } from '../helpers/companion';
import { readSnapshot } from '../helpers/data-files';
import { readableBundle } from '../helpers/readable-bundle';
import { ev, visitCtx, visitStarted } from '../helpers/events';

const dirs: string[] = [];
const children: ChildCompanion[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
  for (const d of dirs.splice(0)) {
    run('chmod', '-R', 'u+w', d); // a read-only test's folder, for a non-root runner to delete
    removeDir(d);
  }
});

function run(...argv: string[]): void {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

it('answers 503 with nothing stored once writes fail, and loses nothing acknowledged', async () => {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const limited = await spawnCompanion(['--port', '0', '--data', dataDir], { fileSizeLimitKB: 32 });
  children.push(limited);
  const http = api(limited.url);
  const c = visitCtx('full-v');
  const start = visitStarted(c);
  expect((await http.post('/server/events', start)).status).toBe(200);

  const acknowledged: string[] = [];
  let refused: { ids: string[]; body: any } | null = null;
  for (let n = 0; n < 100 && !refused; n++) {
    const batch = Array.from({ length: 10 }, (_, i) => ev(c, 'AddToCart', { eventID: `full-${n}-${i}`, data: { pad: 'x'.repeat(200) } }));
    const res = await http.post('/server/events', batch);
    if (res.status === 200) acknowledged.push(...batch.map((e) => e.eventID));
    else refused = { ids: batch.map((e) => e.eventID), body: { status: res.status, ...res.body } };
  }
  expect(refused).not.toBeNull();
  expect(refused!.body).toMatchObject({ status: 503, error: 'storage_failed' });
  expect(refused!.body.message).toMatch(/^Nothing was stored: could not write the journal/);

  // Nothing of the refused request is visible; everything acknowledged is.
  const stored = (await http.get('/server/data/visits/full-v?include_events=true')).body.eventIds as string[];
  expect(stored).toEqual([start.eventID, ...acknowledged]);
  for (const id of refused!.ids) expect(stored).not.toContain(id);
  expect((await http.get('/lab/health')).body.counts.events).toBe(1 + acknowledged.length);

  // The journal holds whole records only: the partial append was cut back.
  const journalDir = path.join(dataDir, 'journal');
  for (const f of readdirSync(journalDir)) {
    const text = readFileSync(path.join(journalDir, f), 'utf8');
    expect(text === '' || text.endsWith('\n')).toBe(true);
    for (const line of text.split('\n').filter(Boolean)) JSON.parse(line);
  }

  // Restarted without the limit: exactly what was acknowledged.
  limited.child.kill('SIGKILL');
  await limited.exited;
  const again = await spawnCompanion(['--port', '0', '--data', dataDir]);
  children.push(again);
  const after = (await api(again.url).get('/server/data/visits/full-v?include_events=true')).body.eventIds as string[];
  expect(after).toEqual(stored);
});

// Root ignores permission bits: running as root (CI does), the companion runs as nobody here,
// in a data directory nobody owns.
const NOBODY = 65534;
const user = process.getuid?.() === 0 ? NOBODY : undefined;

/** A fresh data directory the companion's user owns. */
function ownDir(): string {
  const d = tempDir('vl-ro-');
  dirs.push(d);
  if (user !== undefined) run('chown', '-R', `${user}:${user}`, d);
  return d;
}

/** Every file under `dir` (relative path -> content), to show nothing changed. */
function contents(dir: string, under = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(path.join(dir, under)).sort()) {
    const rel = path.join(under, name);
    if (statSync(path.join(dir, rel)).isDirectory()) Object.assign(out, contents(dir, rel));
    else out[rel] = readFileSync(path.join(dir, rel), 'utf8');
  }
  return out;
}

describe('a read-only data directory', () => {
  beforeAll(() => {
    if (user === undefined) return;
    // The companion's user runs a copy of the bundle in the temp folder (spawnCompanion with a
    // uid), as it may not reach the repository (cloned into root's home, say): it must read that.
    const bundle = readableBundle();
    const r = spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(bundle)}, 4)`], { cwd: tmpdir(), uid: user, gid: user, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`uid ${user} cannot read ${bundle} (or run ${process.execPath}): ${r.stderr}`);
  });

  const refusal = (dataDir: string, file: string) => {
    const q = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    return new RegExp(
      `exited \\(1\\) before listening:\\s*visitor-lab: The data directory ${q(dataDir)} is read-only for this user \\(uid \\d+\\): ` +
        `EACCES: permission denied, \\w+ '${q(path.join(dataDir, file))}'\\. The companion stores everything there and did not start\\. ` +
        `Make it and its files writable for uid \\d+ \\(chmod -R u\\+w ${q(dataDir)}, or chown -R\\), or start with another --data directory\\.\\n`,
    );
  };

  it('at start, empty: the companion refuses to start, naming it and what to do', async () => {
    const dataDir = ownDir();
    run('chmod', 'a-w', dataDir);
    const attempt = spawnCompanion(['--port', '0', '--data', dataDir], { uid: user });
    await expect(attempt).rejects.toThrow(refusal(dataDir, 'journal'));
    await expect(attempt).rejects.not.toThrow(/\n\s+at /); // a message, not a stack
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('at start, with data in it: refused the same way, and nothing in it changes', async () => {
    const dataDir = ownDir();
    const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet'], { uid: user });
    children.push(first);
    const c = visitCtx('ro-start-v');
    const events = [visitStarted(c), ev(c, 'AddToCart', { pageID: 'p0' })];
    expect((await api(first.url).post('/server/events', events)).status).toBe(200);
    // Killed, so a journal and a lock are left too.
    first.child.kill('SIGKILL');
    await first.exited;
    const before = contents(dataDir);
    expect(Object.keys(before)).toContain('companion.lock');

    run('chmod', '-R', 'a-w', dataDir);
    await expect(spawnCompanion(['--port', '0', '--data', dataDir], { uid: user })).rejects.toThrow(refusal(dataDir, 'companion.lock'));
    expect(contents(dataDir)).toEqual(before);

    // Writable again, it starts with everything.
    run('chmod', '-R', 'u+w', dataDir);
    const again = await spawnCompanion(['--port', '0', '--data', dataDir], { uid: user });
    children.push(again);
    expect((await api(again.url).get(`/server/data/visits/${c.visitID}?include_events=true`)).body.eventIds).toEqual(events.map((e) => e.eventID));
  });

  it.each([
    ['the directory and every file in it', ['-R', 'a-w'], ['-R', 'u+w']],
    ['the directory only (journal/ and the files in it stay writable)', ['a-w'], ['u+w']],
  ])('turning read-only while running (%s): every 200 is stored, exactly once, across a restart', async (_, readOnly, writable) => {
    const dataDir = ownDir();
    // A small snapshot threshold: snapshots (new journal segment, events file, lowdb file)
    // keep being attempted while the folder is read-only.
    const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--snapshot-after', '4000', '--quiet'], { uid: user });
    children.push(first);
    const http = api(first.url);
    const c = visitCtx('ro-v');
    const start = visitStarted(c);
    expect((await http.post('/server/events', start)).status).toBe(200);

    const acknowledged: string[] = [start.eventID];
    const refused: string[] = [];
    const send = async (n: number) => {
      const batch = Array.from({ length: 5 }, (_, i) => ev(c, 'AddToCart', { eventID: `ro-${n}-${i}`, pageID: 'p0', data: { pad: 'x'.repeat(150) } }));
      const res = await http.post('/server/events', batch);
      const ids = batch.map((e) => e.eventID);
      if (res.status === 200) {
        expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(ids.map(() => 'accepted'));
        acknowledged.push(...ids);
      } else {
        // The only other answer allowed: a clear storage error, nothing stored.
        expect({ status: res.status, error: res.body.error }).toEqual({ status: 503, error: 'storage_failed' });
        expect(res.body.message).toMatch(/^Nothing was stored: /);
        refused.push(...ids);
      }
    };
    for (let n = 0; n < 10; n++) await send(n);
    await expect.poll(() => existsSync(path.join(dataDir, SNAPSHOT_FILE))).toBe(true);

    run('chmod', ...readOnly, dataDir);
    for (let n = 10; n < 50; n++) await send(n);
    // The snapshots it tried in the meantime failed on the read-only folder, and said so.
    expect(first.output()).toMatch(/snapshot failed \(the journal still holds everything; next try in \d+ s\): EACCES/);
    // Retried with a back-off, not after every write: a handful of lines, not one per request.
    expect(first.output().split('snapshot failed').length - 1).toBeLessThan(5);
    const stored = (await http.get(`/server/data/visits/${c.visitID}?include_events=true`)).body.eventIds as string[];
    expect(stored).toEqual(acknowledged);
    for (const id of refused) expect(stored).not.toContain(id);

    // Stopped while still read-only. The final snapshot fails (exit 1, saying the journal has
    // everything), or is not attempted when the last one failed after starting a new journal
    // segment (exit 0): either way the journal holds everything acknowledged.
    first.child.kill('SIGTERM');
    const code = await first.exited;
    expect([0, 1]).toContain(code);
    if (code === 1) expect(first.output()).toMatch(/visitor-lab: shutdown failed: EACCES.*\. Everything acknowledged is in the journal; the next start reads it\./);
    else expect(first.output()).toContain('Stopped; everything is on disk.');

    // Writable again and restarted: every acknowledged event, once, and nothing else.
    run('chmod', ...writable, dataDir);
    const again = await spawnCompanion(['--port', '0', '--data', dataDir], { uid: user });
    children.push(again);
    const after = (await api(again.url).get(`/server/data/visits/${c.visitID}?include_events=true`)).body.eventIds as string[];
    expect(after).toEqual(acknowledged);
    expect((await api(again.url).get('/lab/health')).body.counts.events).toBe(acknowledged.length);
    // And it goes on storing, and a clean stop now writes the snapshot.
    expect((await api(again.url).post('/server/events', ev(c, 'AddToCart', { eventID: 'ro-after', pageID: 'p0' }))).status).toBe(200);
    children.splice(children.indexOf(again), 1);
    again.child.kill('SIGTERM');
    expect(await again.exited).toBe(0);
    // The snapshot holds each of them once (its events file read up to the length it records).
    const snap = await readSnapshot(dataDir);
    const lines = readFileSync(path.join(dataDir, snap.events!.file)).subarray(0, snap.events!.bytes).toString('utf8').split('\n').filter(Boolean);
    const ids = lines.map((l) => JSON.parse(l.slice(0, l.indexOf('\t'))) as string);
    expect(ids.sort()).toEqual([...acknowledged, 'ro-after'].sort());
  });
});
