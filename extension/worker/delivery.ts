// Sends the outbox to the companion in batches and records what it answered for each event.
// On a network error, a timeout or a 5xx the batch goes back to the outbox and one retry is
// scheduled with back-off; the companion answers `duplicate` for an eventID it already has, so a
// resend never counts twice.
import type { IntakeResponse } from '../../protocol/intake';
import type { CompanionStatus, Delivery } from '../shared/messages';
import { AUTH_TEXT, type CompanionEndpoint } from './companion';
import { captureReportsOf } from './capture-report';
import { runOfItem, type Outbox, type OutboxItem } from './outbox';

export const BATCH_EVENTS = 100;
/** Well under the companion's 1 MB body limit. */
export const BATCH_BYTES = 256 * 1024;
/** A companion that takes the connection but never answers must not hold the queue. */
export const REQUEST_TIMEOUT_MS = 15_000;

export interface DeliveryDeps {
  outbox: Outbox;
  /** The companion's address and credentials (CompanionLink.endpoint). */
  endpoint: () => Promise<CompanionEndpoint>;
  /** Records delivery states in the capture logs (best effort: the outbox is what counts). */
  report: (updates: Array<{ item: OutboxItem; delivery: Delivery }>) => Promise<void>;
  fetch?: typeof fetch;
  /** Runs `flush` after `delayMs` (a timer; the worker's alarm covers a worker that stopped). */
  schedule?: (delayMs: number, flush: () => void) => void;
  now?: () => number;
}

type Outcome = 'sent' | 'empty' | 'failed';

export class Courier {
  status: CompanionStatus = { url: '', reachable: null, checkedAt: 0 };
  private running: Promise<void> | null = null;
  private again = false;
  private failures = 0;
  private retryPending = false;
  /** Which failure streak a scheduled retry belongs to: a stale timer must not end a new one. */
  private streak = 0;
  /** Halved when the companion finds a batch too large (413). */
  private batchEvents = BATCH_EVENTS;

  constructor(private readonly deps: DeliveryDeps) {}

  /**
   * Sends everything waiting; one run at a time (a call during a run asks for another). While
   * backing off after a failure only `force` (the companion is known to be back, or the alarm)
   * sends before the scheduled retry, so captures do not hammer a companion that is down.
   */
  flush(force = false): Promise<void> {
    if (this.retryPending && !force) return this.running ?? Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      // A flush asked for between the run's last check and here must not be lost.
      if (this.again) void this.flush();
    });
    return this.running;
  }

  private async run(): Promise<void> {
    let outcome: Outcome;
    do {
      this.again = false;
      do outcome = await this.sendOne();
      while (outcome === 'sent');
    } while (this.again && outcome !== 'failed');
  }

  private report(updates: Array<{ item: OutboxItem; delivery: Delivery }>): Promise<void> {
    return this.deps.report(updates).catch(() => undefined);
  }

  private async sendOne(): Promise<Outcome> {
    const { outbox } = this.deps;
    const now = this.deps.now ?? Date.now;
    // The settings' run is that of waiting events captured without one of their own.
    const endpointRead = this.deps.endpoint();
    // What was captured for a run is told before its events go: a check that finds them stored
    // knows how they were captured (capture-report.ts).
    const reported = await captureReportsOf(outbox).sendOne(endpointRead, this.deps.fetch ?? fetch);
    if (reported === 'sent') return 'sent';
    if (reported !== 'empty') return this.failed(reported.url, reported.failure);
    const current = await endpointRead.then((e) => e.runId ?? '', () => '');
    const batch = await outbox.take(this.batchEvents, BATCH_BYTES, current);
    if (batch.length === 0) return 'empty';
    const ids = batch.map((i) => i.event.eventID);
    const runId = runOfItem(batch[0], current);
    let failure: string;
    let url = '';
    try {
      const endpoint = await endpointRead;
      url = endpoint.url;
      await this.report(batch.map((item) => ({ item, delivery: { state: 'sent', at: now() } })));
      // The credentials go with intake too: only a caller with them hears `duplicate`.
      const res = await (this.deps.fetch ?? fetch)(`${url}/server/events`, {
        method: 'POST',
        // X-Lab-Run: the companion files these events under the run they were captured in (a suite's, or the popup's).
        headers: { 'content-type': 'application/json', ...endpoint.headers, ...(runId ? { 'x-lab-run': runId } : {}) },
        body: JSON.stringify(batch.map((i) => i.event)),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const body = (await res.json().catch(() => null)) as (IntakeResponse & { message?: string }) | null;
      if ((res.status === 200 || res.status === 400) && Array.isArray(body?.results)) {
        await this.settle(batch, body, url);
        return 'sent';
      }
      if (res.status === 413) return await this.tooLarge(batch);
      // Intake needs no credentials today; a companion that asks anyway keeps the events waiting.
      if (res.status === 401) failure = `HTTP 401: ${AUTH_TEXT[endpoint.headers.authorization ? 'refused' : 'missing']}`;
      else failure = `HTTP ${res.status}${body?.message ? `: ${body.message}` : ''}`;
    } catch (e) {
      failure = `unreachable (${(e as Error).message})`;
    } finally {
      // Whatever happened, nothing stays `sent` once this attempt is over.
      await outbox.release(ids);
    }
    await this.report(batch.map((item) => ({ item, delivery: { state: 'queued', reason: failure, at: now() } })));
    return this.failed(url, failure);
  }

  /** An attempt failed: the status says why, and one retry is scheduled with back-off. */
  private failed(url: string, failure: string): Outcome {
    const now = this.deps.now ?? Date.now;
    this.status = { url, reachable: !failure.startsWith('unreachable'), error: failure, checkedAt: now() };
    this.failures++;
    if (!this.retryPending) {
      this.retryPending = true;
      const streak = this.streak;
      const delay = Math.min(1000 * 2 ** (this.failures - 1), 30_000);
      this.deps.schedule?.(delay, () => {
        if (streak !== this.streak) return;
        this.retryPending = false;
        void this.flush();
      });
    }
    return 'failed';
  }

  private async tooLarge(batch: OutboxItem[]): Promise<Outcome> {
    if (batch.length > 1) {
      this.batchEvents = Math.max(1, Math.floor(batch.length / 2));
      return 'sent'; // released by the caller; the next take is smaller
    }
    const reason = 'body: too large for the companion';
    await this.deps.outbox.settle([batch[0].event.eventID]);
    await this.report([{ item: batch[0], delivery: { state: 'rejected', by: 'companion', reason, at: Date.now() } }]);
    return 'sent';
  }

  private async settle(batch: OutboxItem[], body: IntakeResponse, url: string): Promise<void> {
    const now = (this.deps.now ?? Date.now)();
    if (this.failures > 0 || this.retryPending) this.streak++;
    this.failures = 0;
    this.retryPending = false;
    this.batchEvents = Math.min(BATCH_EVENTS, this.batchEvents * 2);
    this.status = { url, reachable: true, checkedAt: now };
    const updates = body.results
      .map((r) => {
        const delivery: Delivery = { state: r.status, at: now, by: 'companion' };
        if (r.status === 'rejected') Object.assign(delivery, { field: r.field, reason: `${r.field}: ${r.reason}` });
        if (r.warnings?.length) delivery.warning = r.warnings.map((w) => `${w.field}: ${w.reason}`).join('; ');
        if (r.category) delivery.category = r.category;
        return { item: batch[r.index], delivery };
      })
      .filter((u) => u.item);
    // The outbox first: once the companion has answered, the events must not be sent again.
    await this.deps.outbox.settle(updates.map((u) => u.item.event.eventID));
    await this.report(updates);
  }
}
