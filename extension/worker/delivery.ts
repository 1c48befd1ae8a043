// Sends the outbox to the companion in batches and records what it answered for each event.
// On a network error or a 5xx the batch goes back to the outbox and is retried with back-off;
// the companion answers `duplicate` for an eventID it already has, so a resend never counts twice.
import type { IntakeResponse } from '../../protocol/intake';
import type { CompanionStatus, Delivery } from '../shared/messages';
import type { Outbox, OutboxItem } from './outbox';

export const BATCH_EVENTS = 100;
/** Well under the companion's 1 MB body limit. */
export const BATCH_BYTES = 256 * 1024;

export interface DeliveryDeps {
  outbox: Outbox;
  companionUrl: () => Promise<string>;
  /** Records delivery states in the capture logs. */
  report: (updates: Array<{ item: OutboxItem; delivery: Delivery }>) => Promise<void>;
  fetch?: typeof fetch;
  /** Called after a failure with the delay before the next attempt. */
  schedule?: (delayMs: number, flush: () => void) => void;
  now?: () => number;
}

export class Courier {
  status: CompanionStatus = { url: '', reachable: null, checkedAt: 0 };
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  /** Halved when the companion finds a batch too large (413). */
  private batchEvents = BATCH_EVENTS;

  constructor(private readonly deps: DeliveryDeps) {}

  /** Sends everything waiting; one run at a time (a call during a run asks for another). */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      while (await this.sendOne());
    } while (this.again && this.failures === 0);
  }

  /** Sends one batch; false when there is nothing to send or the companion is not taking it. */
  private async sendOne(): Promise<boolean> {
    const { outbox } = this.deps;
    const now = this.deps.now ?? Date.now;
    const batch = await outbox.take(this.batchEvents, BATCH_BYTES);
    if (batch.length === 0) return false;
    const url = await this.deps.companionUrl();
    await this.deps.report(batch.map((item) => ({ item, delivery: { state: 'sent', at: now() } })));
    let failure: string;
    try {
      const res = await (this.deps.fetch ?? fetch)(`${url}/server/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(batch.map((i) => i.event)),
      });
      const body = (await res.json().catch(() => null)) as (IntakeResponse & { message?: string }) | null;
      if ((res.status === 200 || res.status === 400) && Array.isArray(body?.results)) {
        await this.settle(batch, body, url);
        return true;
      }
      if (res.status === 413) {
        if (batch.length === 1) {
          const reason = 'body: too large for the companion';
          await this.deps.report([{ item: batch[0], delivery: { state: 'rejected', by: 'companion', reason, at: now() } }]);
          await outbox.settle([batch[0].event.eventID]);
          return true;
        }
        this.batchEvents = Math.max(1, Math.floor(batch.length / 2));
        await outbox.release(batch.map((i) => i.event.eventID));
        return true;
      }
      failure = `HTTP ${res.status}${body?.message ? `: ${body.message}` : ''}`;
    } catch (e) {
      failure = `unreachable (${(e as Error).message})`;
    }
    await outbox.release(batch.map((i) => i.event.eventID));
    await this.deps.report(batch.map((item) => ({ item, delivery: { state: 'queued', reason: failure, at: now() } })));
    this.status = { url, reachable: !failure.startsWith('unreachable'), error: failure, checkedAt: now() };
    this.failures++;
    const delay = Math.min(1000 * 2 ** (this.failures - 1), 30_000);
    this.deps.schedule?.(delay, () => void this.flush());
    return false;
  }

  private async settle(batch: OutboxItem[], body: IntakeResponse, url: string): Promise<void> {
    const now = (this.deps.now ?? Date.now)();
    this.failures = 0;
    this.status = { url, reachable: true, checkedAt: now };
    const updates = body.results.map((r) => {
      const delivery: Delivery = { state: r.status, at: now, by: 'companion' };
      if (r.status === 'rejected') Object.assign(delivery, { field: r.field, reason: `${r.field}: ${r.reason}` });
      return { item: batch[r.index], delivery };
    }).filter((u) => u.item);
    await this.deps.report(updates);
    await this.deps.outbox.settle(updates.map((u) => u.item.event.eventID));
  }
}
