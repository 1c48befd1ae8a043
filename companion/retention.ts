// Retention (--retain-days, --max-events): the oldest visits are forgotten whole, with their
// events, pages and sessions (the engine's forget operation), so the stored data, and the
// embedded store's memory, stay bounded under unbounded intake. Store-agnostic: the store says
// which visits go (LabStore.retirement); several companions on one database may each sweep:
// forgetting a visit another one forgot already changes nothing.
import type { LabStore } from './store/lab-store';

export interface RetentionPolicy {
  /** Visits with no activity for this many days are forgotten. */
  retainDays?: number;
  /** Past this many events, the oldest visits are forgotten until SWEEP_TO of it remain. */
  maxEvents?: number;
}

/**
 * Past maxEvents, forgotten down to this share of it: a sweep per few thousand events rather
 * than per request (each forget rewrites the store's visit order once).
 */
export const SWEEP_TO = 0.95;
const DAY = 86_400_000;
/**
 * How often --retain-days looks, whatever the sweep's period: finding quiet visits walks every
 * visit (in memory) or an index (in a database), and days need no sub-second precision.
 */
const QUIET_EVERY_MS = 60_000;
/** Visits one forget operation takes at most. */
const CHUNK = 1000;

export interface RetentionReport extends RetentionPolicy {
  /** What this companion forgot since it started. */
  forgotten: { visits: number; events: number };
}

export class Retention {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly forgotten = { visits: 0, events: 0 };
  /** When --retain-days last looked (0: never, so the first sweep does). */
  private quietCheckedAt = 0;

  constructor(
    private readonly store: LabStore,
    private readonly policy: RetentionPolicy,
    private readonly log: (message: string) => void,
    // How often it looks: counting in memory is free, so every 250 ms (the store passes
    // --max-events by what a quarter second of intake brings); a database counts rows: 2 s.
    private readonly intervalMs = store.kind === 'embedded' ? 250 : 2000,
    private readonly quietEveryMs = QUIET_EVERY_MS,
  ) {}

  get active(): boolean {
    return this.policy.retainDays !== undefined || this.policy.maxEvents !== undefined;
  }

  report(): RetentionReport {
    return { ...this.policy, forgotten: { ...this.forgotten } };
  }

  /** Sweeps now, then every intervalMs while the companion runs. */
  async start(): Promise<void> {
    if (!this.active) return;
    await this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One sweep at a time; a failed one is said and tried again at the next tick. */
  sweep(): Promise<void> {
    this.running ??= this.sweepOnce()
      .catch((e: Error) => this.log(`retention: ${e.message}`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async sweepOnce(): Promise<void> {
    const { maxEvents } = this.policy;
    const now = Date.now();
    const quiet = this.policy.retainDays !== undefined && now - this.quietCheckedAt >= this.quietEveryMs;
    if (quiet) this.quietCheckedAt = now;
    const retainDays = quiet ? this.policy.retainDays : undefined;
    for (;;) {
      const counts = maxEvents === undefined ? null : await this.store.counts();
      const over = counts !== null && counts.events > maxEvents!;
      const retired = await this.store.retirement({
        ...(retainDays !== undefined ? { activeBefore: now - retainDays * DAY } : {}),
        ...(over ? { keepEvents: Math.floor(maxEvents! * SWEEP_TO) } : {}),
        limit: CHUNK,
      });
      if (retired.visitIds.length === 0) return;
      await this.store.commit({ kind: 'forget', visitIds: retired.visitIds });
      this.forgotten.visits += retired.visitIds.length;
      this.forgotten.events += retired.events;
      if (retired.visitIds.length < CHUNK) return;
    }
  }
}
