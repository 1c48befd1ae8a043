// The PostgreSQL store: the state in tables (schema.ts), any number of companions on one
// database. Each write is one transaction that loads the slice it touches under locks, runs the
// engine on it and writes back what changed (slice.ts); each read loads what it answers from
// (reads.ts). Acknowledged means committed: synchronous_commit is on for every connection.
import pg from 'pg';
import type { StoredEvent } from '../../../protocol';
import { applyOperation, emptyState, own, type EngineConfig, type LabState, type Operation, type VisitSeed } from '../../engine';
import { ActiveRunTaken, StorageError } from '../errors';
import type { LabStore, Need, Placed, RetireQuery, Retirement, StoreChanges, StoreCounts, Window } from '../lab-store';
import { jsonText, keyed } from './keys';
import { lockKeys, lockWholeStore } from './locks';
import { migrate } from './migrate';
import { loadSettings, readNeed } from './reads';
import { docText, visitDoc } from './rows';
import { saveIntakeSlice } from './save';
import { loadIntakeSlice } from './slice';
import { applyOther } from './operations';

export interface PgStoreOptions {
  url: string;
  engine: EngineConfig;
  /** Connections this companion opens at most. */
  poolSize?: number;
  log?: (message: string) => void;
}

/** Each collection's table and id column. */
const TABLE_OF: Record<Window['list'], [string, string]> = {
  visits: ['visits', 'visit_id'],
  identities: ['identities', 'identity_id'],
  contacts: ['contacts', 'contact_id'],
  events: ['events', 'event_id'],
};

/** Errors after which the transaction is run again: another one got there first. */
const RETRY = new Set(['40001', '40P01', '23505']);
const MAX_ATTEMPTS = 8;

/** The URL as shown (health, the start banner): without its password. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

/** A database error as the server answers it: 503, nothing acknowledged (an answer of the store's own goes as it is). */
function storageErrorOf(e: unknown): Error {
  if (e instanceof StorageError || e instanceof ActiveRunTaken) return e;
  const err = e as Error & { code?: string };
  return new StorageError(`the database failed: ${err.message}`, err.code ?? 'EDB');
}

export class PgStore implements LabStore {
  readonly kind = 'postgres';
  readonly windowFilters = true;
  readonly startedAt = Date.now();
  readonly location: string;
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private engineConfig: EngineConfig,
    private readonly options: PgStoreOptions,
  ) {
    this.location = shownUrl(options.url);
  }

  static async open(options: PgStoreOptions): Promise<PgStore> {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 8,
      // Acknowledged means committed to disk, whatever the server's default.
      options: '-c synchronous_commit=on',
      application_name: 'visitor-lab',
    });
    // An idle connection the server dropped: the pool replaces it; nothing to crash on.
    pool.on('error', (e) => options.log?.(`database connection lost: ${e.message}`));
    try {
      const client = await pool.connect().catch((e: Error) => {
        throw new StorageError(`cannot reach the database ${shownUrl(options.url)}: ${e.message}. Start PostgreSQL there, or give --store another URL`, 'EDB');
      });
      try {
        const applied = await migrate(client);
        if (applied.length) options.log?.(`database schema: applied migration ${applied.join(', ')}`);
      } finally {
        client.release();
      }
      const store = new PgStore(pool, options.engine, options);
      await store.recordConfig();
      return store;
    } catch (e) {
      await pool.end().catch(() => {});
      throw e;
    }
  }

  get config(): EngineConfig {
    return this.engineConfig;
  }

  /** The engine settings apply from this start on (as the embedded store's `config` record). */
  private async recordConfig(): Promise<void> {
    await this.transaction(async (c) => {
      // Companions sharing the database compute expiry each with its own setting: say when this
      // one's differs from the one the data was computed with until now.
      const { rows } = await c.query<{ value: EngineConfig }>('SELECT value FROM settings WHERE key = $1', ['config']);
      const recorded = rows[0]?.value;
      if (recorded && recorded.visitExpirationTime !== this.options.engine.visitExpirationTime) {
        this.options.log?.(
          `database: its data was computed with --visit-expiration ${recorded.visitExpirationTime}; this companion uses ${this.options.engine.visitExpirationTime} from now on ` +
            '(companions sharing a database should all run with the same setting)',
        );
      }
      await c.query(`INSERT INTO settings (key, value) VALUES ('config', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, [
        jsonText(JSON.stringify(this.options.engine)),
      ]);
    });
    this.engineConfig = this.options.engine;
  }

  /** One attempt: `work` between `begin` and COMMIT on a pooled connection, rolled back if it throws. */
  private async once<T>(begin: string, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query(begin);
      const result = await work(keyed(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw e;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Runs `work` in one transaction (shared store lock first; `exclusive` for what empties the
   * store), again when another transaction got there first (a deadlock, a row inserted meanwhile).
   */
  async transaction<T>(work: (c: pg.PoolClient) => Promise<T>, exclusive = false): Promise<T> {
    if (this.closed) throw new StorageError('the companion is shutting down', 'ECLOSED');
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once('BEGIN', async (c) => {
          await lockWholeStore(c, exclusive);
          return work(c);
        });
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== undefined && RETRY.has(code) && attempt < MAX_ATTEMPTS) continue;
        throw storageErrorOf(e);
      }
    }
  }

  /** Reads in one snapshot of the database: the parts of an answer agree with one another. */
  private snapshot<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.once('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work).catch((e) => Promise.reject(storageErrorOf(e)));
  }

  read(need: Need): Promise<LabState> {
    return this.snapshot((c) => readNeed(c, need, this.engineConfig));
  }

  async submitEvents(events: StoredEvent[], userAgent: string | null, runId?: string, prepare?: (state: LabState) => void): Promise<Set<string>> {
    return this.transaction(async (c) => {
      const ids = events.map((e) => e.eventID);
      const slice = await loadIntakeSlice(c, events, this.engineConfig, runId);
      if (prepare) {
        await loadSettings(c, slice.state, this.engineConfig);
        slice.state.config = this.engineConfig; // the settings read for the categories; the engine runs with this companion's
        prepare(slice.state);
      }
      const stored = await c.query<{ event_id: string }>('SELECT event_id FROM events WHERE event_id = ANY($1)', [ids]);
      const duplicates = new Set(stored.rows.map((r) => r.event_id));
      const fresh = events.filter((e) => !duplicates.has(e.eventID));
      if (fresh.length) {
        applyOperation(slice.state, { seq: 0, op: { kind: 'events', userAgent, events: fresh, ...(runId !== undefined ? { runId } : {}) } }, this.engineConfig);
        // The engine takes a repeated eventID once: the first of them is the one stored.
        const applied = fresh.filter((e) => own(slice.state.events, e.eventID) === e);
        await saveIntakeSlice(c, slice, applied);
        await c.query("SELECT nextval('change_seq')");
      }
      return duplicates;
    });
  }

  async createVisit(seed: VisitSeed): Promise<boolean> {
    return this.transaction(async (c) => {
      await lockKeys(c, [`v:${seed.visitId}`]);
      const state = emptyState();
      applyOperation(state, { seq: 0, op: { kind: 'visit', visit: seed } }, this.engineConfig);
      const visit = state.visits[seed.visitId];
      const { rowCount } = await c.query(
        'INSERT INTO visits (visit_id, global_visit_id, last_activity, doc) VALUES ($1, $2, $3, $4) ON CONFLICT (visit_id) DO NOTHING',
        [visit.visitId, visit.globalVisitID, visit.lastActivity, jsonText(docText(visitDoc(visit)))],
      );
      if (rowCount) await c.query("SELECT nextval('change_seq')");
      return rowCount === 1;
    });
  }

  async commit(op: Operation): Promise<void> {
    if (op.kind === 'events') {
      await this.submitEvents(op.events, op.userAgent, op.runId);
      return;
    }
    if (op.kind === 'visit') {
      await this.createVisit(op.visit);
      return;
    }
    const exclusive = op.kind === 'reset';
    await this.transaction(async (c) => {
      await applyOther(c, op, this.engineConfig);
      await c.query("SELECT nextval('change_seq')");
    }, exclusive);
    if (op.kind === 'config') this.engineConfig = op.config;
  }

  async window(w: Window): Promise<Placed[]> {
    const [table, id] = TABLE_OF[w.list];
    // The entry the key names is read whatever the filters say: the page's key is checked against it.
    const filters: string[] = [];
    const params: unknown[] = [w.after ?? 0, w.count];
    // A visit's or a page's events: the list itself (the key's entry is looked for in it too).
    const list =
      w.list !== 'events' ? 'true'
      : w.pageId !== undefined ? `page_id = $${params.push(w.pageId)}`
      : `visit_id = $${params.push(w.visitId ?? '')}`;
    if (w.list === 'visits' && w.since !== undefined) filters.push(`last_activity >= $${params.push(w.since)}`);
    if (w.list === 'visits' && w.globalVisitID !== undefined) filters.push(`global_visit_id = $${params.push(w.globalVisitID)}`);
    const [after, order] = w.newestFirst ? ['<', 'DESC'] : ['>', 'ASC'];
    const where = [list, w.after === null ? 'true' : `ord ${after} $1`, ...filters].join(' AND ');
    const sql = `(SELECT ${id} AS entry_id, ord FROM ${table} WHERE ${list} AND ord = $1)
      UNION ALL (SELECT ${id}, ord FROM ${table} WHERE ${where} ORDER BY ord ${order} LIMIT $2) ORDER BY ord ${order}`;
    return this.snapshot(async (c) => {
      const { rows } = await c.query<{ entry_id: string; ord: string }>(sql, params);
      return rows.map((r) => ({ pos: Number(r.ord), id: r.entry_id }));
    });
  }

  async retirement(q: RetireQuery): Promise<Retirement> {
    const out: Retirement = { visitIds: [], events: 0 };
    if (q.activeBefore === undefined && q.keepEvents === undefined) return out;
    return this.snapshot(async (c) => {
      let excess = q.keepEvents === undefined ? 0 : Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM events')).rows[0].n) - q.keepEvents;
      if (excess <= 0 && q.activeBefore === undefined) return out;
      // The oldest first (the order they were first heard of), a batch at a time, with their event counts.
      for (let after = 0; out.visitIds.length < q.limit; ) {
        const { rows } = await c.query<{ visit_id: string; ord: string; last_activity: string; n: string }>(
          `SELECT v.visit_id, v.ord, v.last_activity, (SELECT count(*) FROM events e WHERE e.visit_id = v.visit_id) AS n
             FROM visits v WHERE v.ord > $1 ${excess > 0 ? '' : 'AND v.last_activity < $3'} ORDER BY v.ord LIMIT $2`,
          excess > 0 ? [after, 500] : [after, 500, q.activeBefore],
        );
        if (rows.length === 0) break;
        for (const r of rows) {
          after = Number(r.ord);
          const quiet = q.activeBefore !== undefined && Number(r.last_activity) < q.activeBefore;
          if (!quiet && excess <= 0) continue;
          if (out.visitIds.length >= q.limit) break;
          out.visitIds.push(r.visit_id);
          out.events += Number(r.n);
          excess -= Number(r.n);
        }
        if (excess <= 0 && q.activeBefore === undefined) break;
      }
      return out;
    });
  }

  async counts(): Promise<StoreCounts> {
    const { rows } = await this.snapshot((c) =>
      c.query<Record<keyof StoreCounts, string>>(
        `SELECT (SELECT count(*) FROM visits) AS visits, (SELECT count(*) FROM pages) AS pages, (SELECT count(*) FROM events) AS events,
                (SELECT count(*) FROM identities) AS identities, (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM contacts) AS contacts`,
      ),
    );
    const r = rows[0];
    return { visits: +r.visits, pages: +r.pages, events: +r.events, identities: +r.identities, sessions: +r.sessions, contacts: +r.contacts };
  }

  async changes(): Promise<StoreChanges> {
    const { rows } = await this.snapshot((c) =>
      c.query<{ seq: string; called: boolean; visits: string }>('SELECT last_value AS seq, is_called AS called, (SELECT count(*) FROM visits) AS visits FROM change_seq'),
    );
    return { seq: rows[0].called ? +rows[0].seq : 0, visits: +rows[0].visits };
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
