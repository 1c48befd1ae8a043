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
}

export const OUTBOX_KEY = 'visitorLab.outbox';

export class Outbox {
  private readonly items: Persisted<OutboxItem[]>;

  constructor(area: Area) {
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

  /** Adds events not already waiting (same eventID); resolves once they are stored. */
  async add(events: GtEvent[], tabId: number | null): Promise<GtEvent[]> {
    const items = await this.items.get();
    const waiting = new Set(items.map((i) => i.event.eventID));
    const added = events.filter((e) => !waiting.has(e.eventID) && waiting.add(e.eventID));
    if (added.length === 0) return added;
    for (const event of added) items.push({ event, tabId, state: 'queued' });
    await this.items.save();
    return added;
  }

  /** The next batch to send, oldest first, marked `sent`: at most `maxCount` events and about `maxBytes`. */
  async take(maxCount: number, maxBytes: number): Promise<OutboxItem[]> {
    const items = await this.items.get();
    const batch: OutboxItem[] = [];
    let bytes = 0;
    for (const item of items) {
      if (item.state !== 'queued') continue;
      const size = JSON.stringify(item.event).length;
      if (batch.length > 0 && (batch.length >= maxCount || bytes + size > maxBytes)) break;
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
