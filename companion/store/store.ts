// The store: the identification state in memory, made durable by the journal (every
// acknowledged operation) and the lowdb snapshot (the whole state, now and then).
// Operations are group-committed: all those that arrive while one disk write is under way
// go out together in the next, so one fdatasync carries many requests.
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Low } from 'lowdb';
import type { StoredEvent } from '../../protocol';
import { applyOperation, emptyState, own, type EngineConfig, type JournalRecord, type LabState, type Operation } from '../engine';
import { CorruptDataError, StorageError } from './errors';
import { appendEventsFile, readEventsFile, removeEventsFilesExcept, writeEventsFile, type EventsFileRef } from './events-file';
import { JournalWriter, readJournal } from './journal';
import { lockDataDir } from './lock';
import { eventText, recordText, storedText } from './record-text';
import { checkSnapshot, FORMAT, missingEvent, type Snapshot } from './snapshot-check';
import { SnapshotFile } from './snapshot-file';

export const SNAPSHOT_FILE = 'visitor-lab.json';
export interface StoreOptions {
  dataDir: string;
  engine: EngineConfig;
  /** Journal size after which the state is snapshotted and the journal emptied. */
  snapshotAfterBytes?: number;
  log?: (message: string) => void;
}

interface Pending {
  op: Operation;
  resolve: () => void;
  reject: (e: Error) => void;
}

export class Store {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  /** eventIDs on their way to disk, with the commit that carries them. */
  private pendingEvents = new Map<string, Promise<void>>();
  private closed = false;
  private lastSnapshotBytes = 0;
  /** The events file of the last snapshot, and the events stored since (to append to it). */
  private eventsRef: EventsFileRef | null = null;
  private eventsSinceSnapshot: string[] = [];

  /**
   * Applies a journal record, noting the events it adds for the next snapshot. `texts` are
   * the events' journal texts, when this process wrote them.
   */
  private apply(record: JournalRecord, texts: string[] | null = null): void {
    const { op } = record;
    const events = op.kind === 'events' ? op.events : [];
    const fresh = events.flatMap((ev, i) => (own(this.state.events, ev.eventID) ? [] : [i]));
    try {
      applyOperation(this.state, record, this.config);
    } finally {
      if (op.kind === 'reset') {
        this.eventsRef = null; // the next snapshot starts a new events file
        this.eventsSinceSnapshot = [];
      }
      // Even if applying failed part-way, the events it did store must reach the events file.
      fresh.forEach((i) => {
        const ev = events[i];
        if (own(this.state.events, ev.eventID) !== ev) return; // not applied, or a repeat within the op
        this.eventsSinceSnapshot.push(ev.eventID);
        // Kept as its JSON text, as events loaded from the snapshot are (eventOf parses it when
        // read): the events file takes the text as is, and 100,000 stored events are 100,000
        // strings rather than object graphs for the garbage collector to walk.
        if (texts) this.state.events[ev.eventID] = storedText(texts[i], ev);
      });
    }
  }
  readonly startedAt = Date.now();
  replayed = 0;

  private constructor(
    readonly dataDir: string,
    private readonly db: Low<Snapshot>,
    readonly state: LabState,
    private readonly journal: JournalWriter,
    private readonly unlock: () => Promise<void>,
    private readonly options: StoreOptions,
  ) {}

  get config(): EngineConfig {
    return this.options.engine;
  }

  get snapshotFile(): string {
    return path.join(this.dataDir, SNAPSHOT_FILE);
  }

  static async open(options: StoreOptions): Promise<Store> {
    const dataDir = path.resolve(options.dataDir);
    const journalDir = path.join(dataDir, 'journal');
    await mkdir(journalDir, { recursive: true });
    const unlock = await lockDataDir(dataDir);
    try {
      const db = new Low<Snapshot>(new SnapshotFile(path.join(dataDir, SNAPSHOT_FILE), checkSnapshot), {
        format: FORMAT,
        events: null,
        state: emptyState(),
      });
      await db.read();
      const state = db.data.state;
      if (db.data.events) state.events = await readEventsFile(dataDir, db.data.events);
      const missing = missingEvent(state);
      if (missing) throw new CorruptDataError(path.join(dataDir, db.data.events?.file ?? SNAPSHOT_FILE), missing);
      const { records, tornBytes } = await readJournal(journalDir, state.seq);
      if (tornBytes) options.log?.(`journal: dropped ${tornBytes} bytes of a record cut short by a crash (never acknowledged)`);
      const journal = new JournalWriter(journalDir);
      const store = new Store(dataDir, db, state, journal, unlock, options);
      store.eventsRef = db.data.events;
      for (const record of records) {
        try {
          store.apply(record);
        } catch (e) {
          // It failed the same way when it came in, and its request was answered with an
          // error (never acknowledged): skip it rather than refuse to start on it.
          state.seq = record.seq;
          options.log?.(`journal: record ${record.seq} could not be applied and is skipped: ${(e as Error).message}`);
        }
      }
      await journal.open(state.seq + 1);
      store.replayed = records.length;
      return store;
    } catch (e) {
      await unlock();
      throw e;
    }
  }

  /**
   * Stores the events whose eventID is new; returns the eventIDs that were already stored.
   * An eventID that another request is writing right now is answered as a duplicate only
   * once that write is on disk; if that write fails, this request writes the event itself.
   * So a "duplicate" answer, like an "accepted" one, always means the event is stored.
   */
  async submitEvents(events: StoredEvent[], userAgent: string | null): Promise<Set<string>> {
    const duplicates = new Set<string>();
    let todo = events;
    for (let attempt = 0; todo.length > 0; attempt++) {
      if (attempt === 3) throw new StorageError('could not write events another request failed to write', 'EAGAIN');
      const fresh: StoredEvent[] = [];
      const elsewhere: [StoredEvent, Promise<void>][] = [];
      for (const ev of todo) {
        const inFlight = this.pendingEvents.get(ev.eventID);
        if (own(this.state.events, ev.eventID)) duplicates.add(ev.eventID);
        else if (inFlight) elsewhere.push([ev, inFlight]);
        else fresh.push(ev);
      }
      if (fresh.length) {
        const commit = this.commit({ kind: 'events', userAgent, events: fresh });
        for (const ev of fresh) this.pendingEvents.set(ev.eventID, commit);
        try {
          await commit;
        } finally {
          for (const ev of fresh) if (this.pendingEvents.get(ev.eventID) === commit) this.pendingEvents.delete(ev.eventID);
        }
      }
      todo = [];
      for (const [ev, inFlight] of elsewhere) {
        try {
          await inFlight;
          duplicates.add(ev.eventID);
        } catch {
          todo.push(ev); // that request's write failed: this one stores the event
        }
      }
    }
    return duplicates;
  }

  private pendingVisitIds = new Set<string>();

  /** Reserves a visit id for a visit about to be created; false if it exists or is on its way. */
  reserveVisitId(visitId: string): boolean {
    if (own(this.state.visits, visitId) || this.pendingVisitIds.has(visitId)) return false;
    this.pendingVisitIds.add(visitId);
    return true;
  }

  releaseVisitId(visitId: string): void {
    this.pendingVisitIds.delete(visitId);
  }

  /** Writes the operation to the journal, then applies it; resolves when both are done. */
  commit(op: Operation): Promise<void> {
    if (this.closed) return Promise.reject(new StorageError('the companion is shutting down', 'ECLOSED'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.flushing) this.flushing = new Promise((r) => setImmediate(r)).then(() => this.flushLoop());
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      while (this.queue.length) {
        const batch = this.queue.splice(0);
        const first = this.state.seq + 1;
        const records = batch.map((p, i) => ({ seq: first + i, op: p.op }));
        const texts = records.map((r) => (r.op.kind === 'events' ? r.op.events.map(eventText) : null));
        try {
          await this.journal.append(records.map((r, i) => recordText(r, texts[i])).join('\n') + '\n');
        } catch (e) {
          for (const p of batch) p.reject(e as Error);
          continue;
        }
        for (let i = 0; i < batch.length; i++) {
          try {
            this.apply(records[i], texts[i]);
            batch[i].resolve();
          } catch (e) {
            this.options.log?.(`record ${records[i].seq} could not be applied: ${(e as Error).stack}`);
            this.state.seq = records[i].seq;
            batch[i].reject(e as Error);
          }
        }
        const reset = batch.some((p) => p.op.kind === 'reset');
        const due = this.journal.bytesSinceSnapshot > this.snapshotThreshold() && Date.now() >= this.snapshotNotBefore;
        if (reset || due) {
          try {
            await this.snapshot();
            this.snapshotBackoffMs = 0;
          } catch (e) {
            // Retried later, not after every write: a read-only folder would otherwise log a
            // failure per request. The journal holds everything meanwhile.
            this.snapshotBackoffMs = Math.min(60_000, Math.max(1000, this.snapshotBackoffMs * 2));
            this.snapshotNotBefore = Date.now() + this.snapshotBackoffMs;
            this.options.log?.(`snapshot failed (the journal still holds everything; next try in ${this.snapshotBackoffMs / 1000} s): ${(e as Error).message}`);
          }
        }
      }
    } finally {
      this.flushing = null;
      if (this.queue.length) this.flushing = this.flushLoop();
    }
  }

  /**
   * The journal may grow to the configured size, or to the size of the last snapshot when
   * that is larger: rewriting a big state every few MB of intake would make each event cost
   * more the more is stored, while this keeps snapshot work per event constant and start-up
   * replay at most about one snapshot's worth.
   */
  private snapshotBackoffMs = 0;
  private snapshotNotBefore = 0;

  private snapshotThreshold(): number {
    return Math.max(this.options.snapshotAfterBytes ?? 16 * 1024 * 1024, this.lastSnapshotBytes);
  }

  /**
   * Writes the whole state (the events file, then the lowdb snapshot naming it) and drops
   * the journal and the older events files it covers. A crash part-way leaves the previous
   * snapshot and its events file whole.
   */
  private async snapshot(): Promise<void> {
    // Records committed from here on go to a new segment; the old ones are covered once
    // the snapshot is safely on disk.
    const seq = this.state.seq;
    await this.journal.rotate(seq + 1);
    // Stored events never change, so the events file only grows: append what came since the
    // last snapshot rather than rewrite them all. A reset (or the first snapshot) starts a new one.
    const added = this.eventsSinceSnapshot;
    let events: EventsFileRef;
    try {
      events = this.eventsRef
        ? await appendEventsFile(this.dataDir, this.eventsRef, added, this.state.events)
        : await writeEventsFile(this.dataDir, seq, this.state.events);
      this.db.data = { format: FORMAT, events, state: { ...this.state, events: {} } };
      await this.db.write();
    } catch (e) {
      // The snapshot on disk may or may not name what was just written (a rename can succeed
      // and its fsync fail): never append to that file again, start a new one next time.
      this.eventsRef = null;
      throw e;
    }
    this.eventsRef = events;
    this.eventsSinceSnapshot = this.eventsSinceSnapshot.slice(added.length);
    // Rewriting the state is what a snapshot costs now; twice that much journal is the most
    // a start-up after a crash replays.
    this.lastSnapshotBytes = 2 * (await stat(this.snapshotFile)).size;
    try {
      await this.journal.dropCovered();
      await removeEventsFilesExcept(this.dataDir, events.file);
    } catch (e) {
      // The snapshot is written: what is left is only disk space (a start-up skips covered records).
      this.options.log?.(`snapshot written, but older files could not be deleted yet: ${(e as Error).message}`);
    }
  }

  /** Waits for everything queued to be on disk. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** Flushes, snapshots and releases the data directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    try {
      if (this.journal.bytesSinceSnapshot > 0) await this.snapshot();
    } finally {
      await this.journal.close();
      await this.unlock();
    }
  }
}
