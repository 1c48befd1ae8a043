// Reading and editing a companion's data files in tests, with the companion's own formats.
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { LabState } from '../../companion/engine';
import { captureState } from '../../companion/store/capture';
import type { EventsFileRef } from '../../companion/store/events-file';
import { SnapshotFile, type Snapshot } from '../../companion/store/snapshot-file';
import { SNAPSHOT_FILE } from '../../companion/store/store';

/** The snapshot on disk as the companion reads it (without its consistency checks). */
export async function readSnapshot(dataDir: string): Promise<Snapshot> {
  const snap = await new SnapshotFile(path.join(dataDir, SNAPSHOT_FILE), () => null).read();
  if (!snap) throw new Error(`no snapshot in ${dataDir}`);
  return snap;
}

/** Writes a snapshot as the companion would (checksummed), e.g. with records edited by a test. */
export async function writeSnapshot(dataDir: string, events: EventsFileRef | null, state: LabState): Promise<void> {
  const file = new SnapshotFile(path.join(dataDir, SNAPSHOT_FILE), () => null);
  await file.write({ format: 3, events, state, captured: captureState(state) } as Snapshot);
}

/** The reference a snapshot keeps to an events file with this content (one checksummed stretch). */
export function eventsRefFor(file: string, text: string, count: number): EventsFileRef {
  const bytes = Buffer.byteLength(text);
  return { file, count, bytes, ranges: [{ end: bytes, sha256: createHash('sha256').update(text).digest('hex') }] };
}
