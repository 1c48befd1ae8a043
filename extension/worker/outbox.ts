// The events waiting for the companion, in extension storage (storage.local), so that they
// survive a worker restart and a browser restart. An event leaves the outbox only when the
// companion has answered for it; the companion's eventID check makes a resend harmless.
import type { GtEvent } from '../../protocol/events';
import { Persisted, type Area } from './persisted';

export interface OutboxItem {
  event: GtEvent;
  /** The tab whose page produced it, for its capture log (gone after a browser restart). */
  tabId: number | null;
  /** `sent` while a request carrying it is in flight. */
  state: 'queued' | 'sent';
  /**
   * The run it was captured under ('' for none): sent as X-Lab-Run whatever the run is by the time
   * it goes out, so a stop does not move waiting events out of their run. Absent on items stored
   * before runs, or added without one: those go with the settings' run (worker/runs.ts stamps
   * them with the old run before changing it).
   */
  runId?: string;
}

/** The run a waiting item goes with: its own, or (unstamped) `current`, the settings' run now. */
export const runOfItem = (item: OutboxItem, current: string): string => item.runId ?? current;

export const OUTBOX_KEY = 'visitorLab.outbox';

export class Outbox {
  private readonly items: Persisted<OutboxItem[]>;

  /** `area`: storage.local; the capture reports (capture-report.ts) are kept beside the outbox. */
  constructor(readonly area: Area) {
    // A `sent` item found at start-up belonged to a worker that died mid-request: send again.
    this.items = new Persisted<OutboxItem[]>(area, OUTBOX_KEY, () => [], (stored) =>
      stored.map((i) => ({ ...i, state: 'queued' as const })),
    );
  }

  /**
   * The waiting events of a closed tab (or of every tab, after a browser restart, when tab ids
   * mean other tabs) belong to no tab any more: their delivery reports have no log to go to.
   */
  async detachTabs(tabId?: number): Promise<void> {
    const items = await this.items.get();
    const mine = items.filter((i) => i.tabId !== null && (tabId === undefined || i.tabId === tabId));
    if (mine.length === 0) return;
    for (const item of mine) item.tabId = null;
    await this.items.save();
  }

  /**
   * Adds events not already waiting (same eventID); resolves once they are stored. `runId`: the
   * run they were captured under ('' for none); left out, they go with the settings' run.
   */
  async add(events: GtEvent[], tabId: number | null, runId?: string): Promise<GtEvent[]> {
    const items = await this.items.get();
    const waiting = new Set(items.map((i) => i.event.eventID));
    const added = events.filter((e) => !waiting.has(e.eventID) && waiting.add(e.eventID));
    if (added.length === 0) return added;
    for (const event of added) items.push({ event, tabId, state: 'queued', ...(runId !== undefined ? { runId } : {}) });
    await this.items.save();
    return added;
  }

  /**
   * Items without a run of their own are given `runId` (the settings' run, about to change): what
   * was captured before the change keeps the run it was captured under.
   */
  async stampRun(runId: string): Promise<void> {
    const items = await this.items.get();
    const unstamped = items.filter((i) => i.runId === undefined);
    if (unstamped.length === 0) return;
    for (const item of unstamped) item.runId = runId;
    await this.items.save();
  }

  /** The waiting items of run `from` go with `to` instead (a run the companion forgot: its events go in no run rather than nowhere). */
  async moveRun(from: string, to: string, current: string): Promise<number> {
    const items = await this.items.get();
    const moved = items.filter((i) => runOfItem(i, current) === from);
    if (moved.length === 0) return 0;
    for (const item of moved) item.runId = to;
    await this.items.save();
    return moved.length;
  }

  /**
   * The next batch to send, oldest first, marked `sent`: at most `maxCount` events and about
   * `maxBytes`, all of one run (one request carries one X-Lab-Run), `current` being the run of
   * unstamped items.
   */
  async take(maxCount: number, maxBytes: number, current = ''): Promise<OutboxItem[]> {
    const items = await this.items.get();
    const batch: OutboxItem[] = [];
    let bytes = 0;
    for (const item of items) {
      if (item.state !== 'queued') continue;
      const size = JSON.stringify(item.event).length;
      if (batch.length > 0 && (batch.length >= maxCount || bytes + size > maxBytes)) break;
      // The next run's events wait for the next request, so events still go out in their order.
      if (batch.length > 0 && runOfItem(item, current) !== runOfItem(batch[0], current)) break;
      item.state = 'sent';
      batch.push(item);
      bytes += size;
    }
    return batch;
  }

  /** The companion answered for these: they leave the outbox. */
  async settle(eventIDs: Iterable<string>): Promise<void> {
    const done = new Set(eventIDs);
    const items = await this.items.get();
    const kept = items.filter((i) => !done.has(i.event.eventID));
    if (kept.length === items.length) return;
    items.splice(0, items.length, ...kept);
    await this.items.save();
  }

  /** A request failed: its events wait again, in their place. */
  async release(eventIDs: Iterable<string>): Promise<void> {
    const back = new Set(eventIDs);
    for (const item of await this.items.get()) if (back.has(item.event.eventID)) item.state = 'queued';
  }

  async size(): Promise<number> {
    return (await this.items.get()).length;
  }

  async all(): Promise<readonly OutboxItem[]> {
    return this.items.get();
  }
}
