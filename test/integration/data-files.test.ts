// Nothing lost or hidden, silently (issue 9): files deleted or changed on disk are refused with
// the file named and what to do; a journal line that lost only its newline is kept; a failed
// snapshot leaves no copy of the events behind; the same data gives the same answers after a
// clean stop and after a crash, even when the companion restarts with other settings.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_FILE } from '../../companion/store/store';
import { api, spawnCompanion, testCompanion } from '../helpers/companion';
import { tempDirs } from '../helpers/temp-dirs';
import { readSnapshot } from '../helpers/data-files';
import { ev, pageEntered, signIn, visitCtx, visitStarted } from '../helpers/events';

const dir = tempDirs();

const listing = (d: string) =>
  Object.fromEntries(
    readdirSync(d, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => {
        const f = path.join(e.parentPath, e.name);
        return [path.relative(d, f), readFileSync(f, 'utf8')];
      }),
  );

/** A data directory with a clean stop behind it: a snapshot, its events file, an empty journal segment. */
async function stoppedDir(events = 3): Promise<{ dataDir: string; visitID: string }> {
  const dataDir = dir();
  const c = visitCtx();
  const companion = await testCompanion({ dataDir });
  const all = [visitStarted(c), pageEntered(c, 'p1')];
  for (let i = 2; i < events; i++) all.push(ev(c, 'AddToCart', { pageID: 'p1' }));
  expect((await api(companion.url).post('/server/events', all)).body.accepted).toBe(events);
  await companion.close();
  return { dataDir, visitID: c.visitID };
}

/** A copy of a running companion's data directory: what a crash at this moment leaves. */
function crashImage(dataDir: string): string {
  const copy = dir();
  cpSync(dataDir, copy, { recursive: true });
  rmSync(path.join(copy, 'companion.lock'), { force: true });
  return copy;
}

describe('files that do not agree are refused, and nothing is changed', () => {
  it('visitor-lab.json deleted after a clean stop: refused, naming the events file left behind', async () => {
    const { dataDir } = await stoppedDir();
    rmSync(path.join(dataDir, SNAPSHOT_FILE));
    const before = listing(dataDir);
    await expect(testCompanion({ dataDir })).rejects.toThrow(/visitor-lab\.json.*missing, but the data directory holds events-\d+\.jsonl.*Restore visitor-lab\.json/);
    expect(listing(dataDir)).toEqual(before);
  });

  it('the journal deleted after a crash: refused, naming the missing segment', async () => {
    const { dataDir } = await stoppedDir();
    rmSync(path.join(dataDir, 'journal'), { recursive: true });
    mkdirSync(path.join(dataDir, 'journal'));
    await expect(testCompanion({ dataDir })).rejects.toThrow(/journal-\d{12}\.jsonl.*missing: the snapshot ends at record \d+/);
  });

  it('the newest journal segment deleted: refused', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.close();
    const segments = readdirSync(path.join(dataDir, 'journal'));
    expect(segments).toHaveLength(1);
    rmSync(path.join(dataDir, 'journal', segments[0]));
    await expect(testCompanion({ dataDir })).rejects.toThrow(new RegExp(`${segments[0]}.*missing`));
  });

  it('a journal that does not start at record 1 with no snapshot: refused', async () => {
    const dataDir = dir();
    mkdirSync(path.join(dataDir, 'journal'));
    writeFileSync(path.join(dataDir, 'journal', 'journal-000000000007.jsonl'), '');
    await expect(testCompanion({ dataDir })).rejects.toThrow(/visitor-lab\.json.*missing, but the data directory holds journal\/journal-000000000007\.jsonl/);
  });

  it('one flipped byte in the events file: refused, naming the stretch that changed', async () => {
    const { dataDir } = await stoppedDir();
    const ref = (await readSnapshot(dataDir)).events!;
    const file = path.join(dataDir, ref.file);
    const text = readFileSync(file, 'utf8');
    // Inside a string value: the line is still an event line and still JSON.
    const at = text.indexOf('shop.test');
    writeFileSync(file, text.slice(0, at) + 'sh0p' + text.slice(at + 4));
    await expect(testCompanion({ dataDir })).rejects.toThrow(new RegExp(`${ref.file}.*bytes 0 to ${ref.bytes} do not match their checksum`));
  });

  it('one flipped byte in visitor-lab.json: refused', async () => {
    const { dataDir, visitID } = await stoppedDir();
    const file = path.join(dataDir, SNAPSHOT_FILE);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf(`"lastActivity":`) + 16;
    writeFileSync(file, text.slice(0, at) + (text[at] === '1' ? '2' : '1') + text.slice(at + 1));
    expect(visitID).toBeTruthy();
    await expect(testCompanion({ dataDir })).rejects.toThrow(/visitor-lab\.json.*checksum or line count differs/);
  });

  it('visitor-lab.json cut short: refused', async () => {
    const { dataDir } = await stoppedDir();
    const file = path.join(dataDir, SNAPSHOT_FILE);
    const lines = readFileSync(file, 'utf8').split('\n');
    writeFileSync(file, lines.slice(0, -2).join('\n') + '\n'); // without its end line
    await expect(testCompanion({ dataDir })).rejects.toThrow(/visitor-lab\.json.*cut short/);
  });
});

describe('the journal', () => {
  it('keeps a last line that is a whole record but lost its newline (it may have been acknowledged)', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    const all = [visitStarted(c), ...Array.from({ length: 50 }, (_, i) => ev(c, 'AddToCart', { eventID: `nl-${i}` }))];
    expect((await api(companion.url).post('/server/events', all)).body.accepted).toBe(51);
    await companion.store.drain();
    const image = crashImage(dataDir);
    await companion.close();
    const [segment] = readdirSync(path.join(image, 'journal'));
    const file = path.join(image, 'journal', segment);
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    truncateSync(file, Buffer.byteLength(text) - 1);
    const restarted = await testCompanion({ dataDir: image });
    expect((await api(restarted.url).get('/lab/health')).body.counts.events).toBe(51);
    // The newline is put back, and appends go on after it.
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect((await api(restarted.url).post('/server/events', ev(c, 'AddToCart', { eventID: 'after' }))).body.accepted).toBe(1);
    await restarted.close();
    const again = await testCompanion({ dataDir: image });
    expect((await api(again.url).get('/lab/health')).body.counts.events).toBe(52);
    await again.close();
  });
});

describe('a crash', () => {
  it('a record torn inside a multi-byte character: only its own bytes are cut', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), ev(c, 'AddToCart', { eventID: 'kept', data: { name: '東京' } })]);
    await companion.store.drain();
    const image = crashImage(dataDir);
    await companion.close();
    const [segment] = readdirSync(path.join(image, 'journal'));
    const file = path.join(image, 'journal', segment);
    const journal = readFileSync(file);
    // The next record, cut after the first byte of 東 (three bytes in UTF-8).
    const torn = Buffer.from('{"seq":9,"op":{"kind":"events","userAgent":null,"events":[{"data":{"name":"東');
    writeFileSync(file, Buffer.concat([journal, torn.subarray(0, torn.length - 2)]));
    const restarted = await testCompanion({ dataDir: image });
    expect(readFileSync(file).equals(journal)).toBe(true);
    expect((await api(restarted.url).get('/lab/health')).body.counts.events).toBe(2);
    await restarted.close();
  });

  it('during the first snapshot, after its events file was written: starts on the journal, and the leftover goes', async () => {
    const dataDir = dir();
    const companion = await testCompanion({ dataDir });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), pageEntered(c, 'p1')]);
    await companion.store.drain();
    const image = crashImage(dataDir);
    await companion.close();
    writeFileSync(path.join(image, 'events-000000000002.jsonl'), '"x"\t{}\n'); // what the interrupted snapshot left
    const restarted = await testCompanion({ dataDir: image });
    expect((await api(restarted.url).get('/lab/health')).body.counts.events).toBe(2);
    await restarted.close();
    expect(readdirSync(image).filter((n) => /events-/.test(n))).toHaveLength(1);
    expect(readFileSync(path.join(image, (await readSnapshot(image)).events!.file), 'utf8')).not.toContain('"x"');
  });
});

describe('a failed snapshot', () => {
  it('is tried again once its back-off has passed, with no request to prompt it', async () => {
    const dataDir = dir();
    const blocker = path.join(dataDir, `.${SNAPSHOT_FILE}.tmp`);
    mkdirSync(blocker);
    const logs: string[] = [];
    const companion = await testCompanion({ dataDir, snapshotAfterBytes: 500, log: (m) => logs.push(m) });
    const c = visitCtx();
    await api(companion.url).post('/server/events', [visitStarted(c), ev(c, 'AddToCart', { data: { pad: 'x'.repeat(600) } })]);
    await expect.poll(() => logs.some((m) => m.startsWith('snapshot failed'))).toBe(true);
    rmSync(blocker, { recursive: true });
    await expect.poll(() => existsSync(path.join(dataDir, SNAPSHOT_FILE)), { timeout: 5000 }).toBe(true);
    await companion.close();
  });

  it('leaves no copy of the events behind, however often it fails', async () => {
    const dataDir = dir();
    // The snapshot's temp path taken by a folder: every snapshot fails once its events file is written.
    mkdirSync(path.join(dataDir, `.${SNAPSHOT_FILE}.tmp`));
    const logs: string[] = [];
    const companion = await testCompanion({ dataDir, snapshotAfterBytes: 1000, log: (m) => logs.push(m) });
    const c = visitCtx();
    await api(companion.url).post('/server/events', visitStarted(c));
    for (let i = 0; i < 5; i++) {
      await api(companion.url).post('/server/events', ev(c, 'AddToCart', { data: { pad: 'x'.repeat(1200) } }));
      await companion.store.drain();
      await new Promise((r) => setTimeout(r, 1100)); // past the back-off
    }
    expect(logs.filter((m) => m.startsWith('snapshot failed')).length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(dataDir).filter((n) => /events-/.test(n))).toEqual([]);
    rmSync(path.join(dataDir, `.${SNAPSHOT_FILE}.tmp`), { recursive: true });
    await companion.close();
    expect(readdirSync(dataDir).filter((n) => /events-/.test(n))).toHaveLength(1);
    const again = await testCompanion({ dataDir });
    expect((await api(again.url).get('/lab/health')).body.counts.events).toBe(6);
    await again.close();
  }, 20_000);
});

describe('restarting with another --visit-expiration', () => {
  it('gives the same answers after a clean stop and after a crash', async () => {
    const T0 = Date.now() - 3 * 3600_000;
    const c = visitCtx('exp-v');
    const events = [
      { ...visitStarted(c), timestamp: T0 },
      { ...signIn(c, { userId: 'pat' }), timestamp: T0 + 1000 },
      // Two hours later: past a one-hour expiry, well within a day.
      { ...ev(c, 'AddToCart'), timestamp: T0 + 2 * 3600_000 },
    ];
    const dataDir = dir();
    const first = await testCompanion({ dataDir, engine: { visitExpirationTime: 3600 } });
    expect((await api(first.url).post('/server/events', events)).body.accepted).toBe(3);
    await first.store.drain();
    const crashed = crashImage(dataDir);
    await first.close();

    const answers = async (d: string) => {
      const companion = await testCompanion({ dataDir: d, engine: { visitExpirationTime: 86400 } });
      const http = api(companion.url);
      const out = {
        events: (await http.get(`/server/data/visits/${c.visitID}/events`)).body.map((e: { eventName: string; visitorState: string }) => [e.eventName, e.visitorState]),
        identity: (await http.get('/server/data/identities/pat')).body[0].visitScope,
        expiration: (await http.get('/lab/health')).body.visitExpirationTime,
      };
      await companion.close();
      return out;
    };
    const afterClean = await answers(dataDir);
    const afterCrash = await answers(crashed);
    expect(afterCrash).toEqual(afterClean);
    // What was applied under the one-hour setting keeps it: the visit had expired by then.
    expect(afterClean.events).toEqual([
      ['VisitStarted', 'Anonymous'],
      ['SignIn', 'Authenticated'],
      ['AddToCart', 'Anonymous'],
    ]);
    expect(afterClean.expiration).toBe(86400);
  });
});

describe('a companion started from the CLI', () => {
  it('says which file is missing and exits', async () => {
    const { dataDir } = await stoppedDir();
    rmSync(path.join(dataDir, SNAPSHOT_FILE));
    await expect(spawnCompanion(['--port', '0', '--data', dataDir])).rejects.toThrow(/exited \(1\)[\s\S]*visitor-lab\.json[\s\S]*missing/);
    expect(existsSync(path.join(dataDir, SNAPSHOT_FILE))).toBe(false);
  });
});
