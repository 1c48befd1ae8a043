// A forget applied while a snapshot is being written (the store applies operations while the
// snapshot it captured is written in the background): the events file gets the events the
// snapshot captured, not holes where the forgotten ones were deleted from the table.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Low } from 'lowdb';
import { describe, expect, it } from 'vitest';
import { applyOperation, DEFAULT_ENGINE_CONFIG, emptyState } from '../../../companion/engine';
import { JournalWriter } from '../../../companion/store/journal';
import { checkSnapshot } from '../../../companion/store/snapshot-check';
import { FORMAT, SnapshotFile, type Snapshot } from '../../../companion/store/snapshot-file';
import { Snapshotter } from '../../../companion/store/snapshotter';
import { SNAPSHOT_FILE } from '../../../companion/store/store';
import { tempDirs } from '../../helpers/temp-dirs';
import { ev, stored, visitCtx, visitStarted } from '../../helpers/events';

const dir = tempDirs();

describe('forget during a snapshot', () => {
  it('writes the events the snapshot captured, whole, even when they are forgotten meanwhile', async () => {
    const dataDir = dir();
    mkdirSync(path.join(dataDir, 'journal'));
    const journal = new JournalWriter(path.join(dataDir, 'journal'));
    await journal.open(1);
    const file = path.join(dataDir, SNAPSHOT_FILE);
    const db = new Low<Snapshot>(new SnapshotFile(file, checkSnapshot), { format: FORMAT, events: null, state: emptyState() });
    const snapshots = new Snapshotter(dataDir, file, db, journal, { onIdle: () => {} }, null);
    const state = emptyState();
    const c = visitCtx('forget-during');
    const events = [visitStarted(c), ...Array.from({ length: 50 }, () => ev(c, 'AddToCart', { pageID: 'p0' }))];
    applyOperation(state, { seq: 1, op: { kind: 'events', userAgent: null, events: events.map((e) => stored(e)) } }, DEFAULT_ENGINE_CONFIG);

    const { written } = await snapshots.begin(state); // captured; the files are written from here on
    applyOperation(state, { seq: 2, op: { kind: 'forget', visitIds: [c.visitID] } }, DEFAULT_ENGINE_CONFIG);
    expect(Object.keys(state.events)).toHaveLength(0);
    expect(await written).toBe(true);

    const ref = db.data.events!;
    const lines = readFileSync(path.join(dataDir, ref.file), 'utf8').split('\n').filter(Boolean);
    expect(lines.map((l) => JSON.parse(l.slice(0, l.indexOf('\t'))))).toEqual(events.map((e) => e.eventID));
    for (const l of lines) expect(JSON.parse(l.slice(l.indexOf('\t') + 1)).visitID).toBe(c.visitID);
    await journal.close();
  });
});
