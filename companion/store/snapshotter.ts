// Snapshots: the whole state written out now and then, so the journal can be dropped and a
// start-up replays little. One is taken in a moment (journal rotated, state captured) between
// two group commits, then written in the background while intake and reads go on.
import { stat } from 'node:fs/promises';
import type { Low } from 'lowdb';
import type { LabState } from '../engine';
import { captureStateInSlices } from './capture';
import { appendEventsFile, removeEventsFile, removeEventsFilesExcept, writeEventsFile, type EventsFileRef } from './events-file';
import type { JournalWriter } from './journal';
import { FORMAT, snapshotHeaderOnDisk, type Snapshot, type SnapshotToWrite } from './snapshot-file';

export class Snapshotter {
  /** The events file the snapshot on disk names; null: the next snapshot writes a new one. */
  private eventsRef: EventsFileRef | null;
  /** Events stored since the snapshot being written (or the last one) was captured. */
  private eventsSince: string[] = [];
  /** Bumped by a reset: a snapshot captured before it must not hand its events file on. */
  private generation = 0;
  private forced = false;
  /** The last snapshot failed: take one again once the back-off has passed. */
  private retry = false;
  private running: Promise<void> | null = null;
  private lastSnapshotBytes = 0;
  private backoffMs = 0;
  private notBefore = 0;
  /** Why the last snapshot failed. */
  lastError: Error | null = null;

  constructor(
    private readonly dataDir: string,
    readonly file: string,
    private readonly db: Low<Snapshot>,
    private readonly journal: JournalWriter,
    private readonly options: { snapshotAfterBytes?: number; log?: (m: string) => void; onIdle: () => void },
    eventsRef: EventsFileRef | null,
  ) {
    this.eventsRef = eventsRef;
  }

  noteEvent(eventID: string): void {
    this.eventsSince.push(eventID);
  }

  /**
   * The state was emptied, or visits were forgotten: the next snapshot starts a new events
   * file (the old one holds events that must not come back at start-up), and comes soon.
   */
  reset(): void {
    this.generation++;
    this.eventsRef = null;
    this.eventsSince = [];
    this.forced = true;
  }

  /**
   * The journal may grow to the configured size, or to twice the size of the last snapshot
   * when that is larger: rewriting a big state every few MB of intake would make each event
   * cost more the more is stored, while this keeps snapshot work per event constant and
   * start-up replay at most about one snapshot's worth.
   */
  wanted(): boolean {
    if (this.running || Date.now() < this.notBefore) return false;
    if (this.forced || this.retry) return true;
    return this.journal.bytesSinceSnapshot > Math.max(this.options.snapshotAfterBytes ?? 16 * 1024 * 1024, this.lastSnapshotBytes);
  }

  /** True when something was journaled since the last snapshot. */
  get dirty(): boolean {
    return this.forced || this.journal.bytesSinceSnapshot > 0;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  /** Waits for the snapshot being written, if any. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Takes a snapshot of the state as it is now. Call only where nothing is being applied
   * (between group commits): it rotates the journal and captures the state, then writes in
   * the background. The promise it returns resolves once the capture is taken; `written`
   * settles when the snapshot is on disk (failures are logged and retried later).
   */
  async begin(state: LabState): Promise<{ written: Promise<boolean> }> {
    const seq = state.seq;
    // Records committed from here on go to a new segment; the old ones are covered once
    // the snapshot is safely on disk. If no segment can be made, appends go on in the old one.
    try {
      await this.journal.rotate(seq + 1);
    } catch (e) {
      this.retryLater(e as Error); // a reset's snapshot stays wanted (forced is kept)
      return { written: Promise.resolve(false) };
    }
    this.forced = false;
    this.retry = false;
    const captured = await captureStateInSlices(state);
    const previous = this.eventsRef;
    // Stored events never change, so the events file only grows: append what came since the
    // last snapshot rather than rewrite them all. A reset (or the first snapshot) starts a new one.
    const ids = previous ? this.eventsSince : Object.keys(state.events);
    this.eventsSince = [];
    // The rows are taken now, with the capture: a forget applied while the file is written
    // deletes events from the table (a reset replaces the table, which was safe by itself).
    const table = state.events;
    const events = ids.map((id) => table[id]);
    const generation = this.generation;
    const written = (async () => {
      let ref: EventsFileRef | null = null;
      try {
        ref = previous ? await appendEventsFile(this.dataDir, previous, ids, events) : await writeEventsFile(this.dataDir, seq, ids, events);
        const data: SnapshotToWrite = { format: FORMAT, events: ref, state, captured };
        this.db.data = data;
        try {
          await this.db.write();
        } finally {
          this.db.data = { format: FORMAT, events: ref, state }; // the captured copies go
        }
      } catch (e) {
        if (!(await this.failed(e as Error, seq, previous, ref, ids, generation))) return false;
      }
      await this.succeeded(ref!, generation);
      return true;
    })();
    this.running = written
      .catch(() => false) // failures are logged by failed(); a bug here must not crash the process
      .then(() => {
        this.running = null;
        this.options.onIdle();
      });
    return { written };
  }

  private async succeeded(ref: EventsFileRef, generation: number): Promise<void> {
    this.backoffMs = 0;
    this.notBefore = 0;
    if (generation === this.generation) this.eventsRef = ref;
    // Rewriting the state is what a snapshot costs now; twice that much journal is the most
    // a start-up after a crash replays.
    this.lastSnapshotBytes = 2 * (await stat(this.file).then((s) => s.size, () => 0));
    try {
      await this.journal.dropCovered();
      await removeEventsFilesExcept(this.dataDir, ref.file);
    } catch (e) {
      // The snapshot is written: what is left is only disk space (a start-up skips covered records).
      this.options.log?.(`snapshot written, but older files could not be deleted yet: ${(e as Error).message}`);
    }
  }

  /**
   * A snapshot failed. Whether the one on disk is the new one (a rename can succeed and its
   * fsync fail) is read back from the file: if it is, this is a success after all. If not,
   * the previous snapshot stands: its events file is appended to again next time (cut back to
   * its recorded length first), the events are noted again, and a new events file this attempt
   * made is deleted, so failed snapshots never pile up copies of the events.
   */
  private async failed(e: Error, seq: number, previous: EventsFileRef | null, ref: EventsFileRef | null, ids: string[], generation: number): Promise<boolean> {
    const onDisk = await snapshotHeaderOnDisk(this.file);
    if (onDisk === 'unknown') {
      // Which snapshot is on disk cannot be told now: delete nothing, and append to neither
      // events file again (the next snapshot writes a new one, and deletes the others once on disk).
      if (generation === this.generation) this.eventsRef = null;
      this.retryLater(e);
      return false;
    }
    if (ref && onDisk?.seq === seq && onDisk.events?.file === ref.file && onDisk.events.bytes === ref.bytes) return true;
    if (generation === this.generation && previous) this.eventsSince = ids.concat(this.eventsSince);
    if (!previous) this.forced = true; // a first snapshot (or the first after a reset) is taken again, whole
    const made = ref?.file ?? null;
    if (made && made !== previous?.file && onDisk?.events?.file !== made) await removeEventsFile(this.dataDir, made).catch(() => undefined);
    this.retryLater(e);
    return false;
  }

  /** A snapshot could not even be captured (a bug, not the disk): logged and retried later, never a crash. */
  failedToBegin(e: Error): void {
    this.retryLater(e);
  }

  /**
   * Retried later, not after every write: a read-only folder would otherwise log a failure
   * per request. The journal holds everything meanwhile.
   */
  private retryLater(e: Error): void {
    this.lastError = e;
    this.retry = true;
    this.backoffMs = Math.min(60_000, Math.max(1000, this.backoffMs * 2));
    this.notBefore = Date.now() + this.backoffMs;
    // Tried again then even if no request comes to start the flush loop.
    setTimeout(() => this.options.onIdle(), this.backoffMs + 10).unref();
    this.options.log?.(`snapshot failed (the journal still holds everything; next try in ${this.backoffMs / 1000} s): ${e.message}`);
  }
}
