// It must start again, whatever it has stored (issue 9): an events file past V8's ~512 MiB
// string limit (72,000 events with 8 KB of data each, ~600 MB) is read, served and snapshotted
// again. The companion used to read each data file into one string and refused to start here.
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyOperation, DEFAULT_ENGINE_CONFIG, emptyState } from '../../companion/engine';
import { api, removeDir, spawnCompanion, tempDir } from '../helpers/companion';
import { writeSnapshot } from '../helpers/data-files';
import { ev, pageEntered, visitCtx, visitStarted } from '../helpers/events';

const EVENTS = 72_000;
const PAD = 'x'.repeat(8_200);
const dataDir = tempDir();
afterAll(() => removeDir(dataDir));

/** A clean stop's data directory, written directly: building it over HTTP would take minutes. */
async function bigDataDir(): Promise<{ visitID: string; bytes: number }> {
  const c = visitCtx('big-v');
  const events = [visitStarted(c), pageEntered(c, 'p1')];
  for (let i = events.length; i < EVENTS; i++) events.push(ev(c, 'AddToCart', { eventID: `big-${i}`, pageID: 'p1' }));
  // The state from the engine, for small events; the events file then holds them with their pad.
  const state = emptyState();
  applyOperation(state, { seq: 1, op: { kind: 'events', userAgent: 'test', events: events.map((e) => ({ ...e, serverTimestamp: e.timestamp, browserPageID: e.pageID ?? null, visitorState: 'Anonymous' })) } }, DEFAULT_ENGINE_CONFIG);
  const stored = state.events;
  state.events = {};
  const name = 'events-000000000001.jsonl';
  const fd = openSync(path.join(dataDir, name), 'w');
  const hash = createHash('sha256');
  let bytes = 0;
  let chunk: string[] = [];
  const flush = () => {
    const buf = Buffer.from(chunk.join(''));
    hash.update(buf);
    writeSync(fd, buf);
    bytes += buf.length;
    chunk = [];
  };
  for (const e of events) {
    const row = stored[e.eventID] as object;
    chunk.push(`${JSON.stringify(e.eventID)}\t${JSON.stringify({ ...row, data: { ...(row as { data?: object }).data, pad: PAD } })}\n`);
    if (chunk.length === 1000) flush();
  }
  flush();
  closeSync(fd);
  await writeSnapshot(dataDir, { file: name, count: events.length, bytes, ranges: [{ end: bytes, sha256: hash.digest('hex') }] }, state);
  mkdirSync(path.join(dataDir, 'journal'));
  writeFileSync(path.join(dataDir, 'journal', 'journal-000000000002.jsonl'), '');
  return { visitID: c.visitID, bytes };
}

describe('an events file past the longest string V8 makes', () => {
  it('starts, serves its events, takes new ones, and starts again after a clean stop', async () => {
    const { visitID, bytes } = await bigDataDir();
    expect(bytes).toBeGreaterThan(0x1fffffe8); // V8's string limit: this file cannot be one string
    const first = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet']);
    try {
      const http = api(first.url);
      expect((await http.get('/lab/health')).body.counts.events).toBe(EVENTS);
      const page = await http.get(`/server/data/visits/${visitID}/events?page_size=2`);
      expect(page.status).toBe(200);
      expect(page.body[1].data.pad).toBe(PAD);
      const c = visitCtx('big-v');
      expect((await http.post('/server/events', ev(c, 'AddToCart', { eventID: 'big-new', pageID: 'p1' }))).body.accepted).toBe(1);
    } finally {
      first.child.kill('SIGTERM');
    }
    expect(await first.exited).toBe(0);
    expect(first.output()).not.toMatch(/snapshot failed/);
    expect(statSync(path.join(dataDir, 'events-000000000001.jsonl')).size).toBeGreaterThan(bytes); // appended to, not rewritten

    const again = await spawnCompanion(['--port', '0', '--data', dataDir, '--quiet']);
    try {
      expect((await api(again.url).get('/lab/health')).body.counts.events).toBe(EVENTS + 1);
    } finally {
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
    }
  }, 180_000);
});
