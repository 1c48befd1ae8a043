// Brings the database to this companion's schema at start. Under a transaction-scoped advisory
// lock, so companions starting together apply each migration once; a database whose schema is
// newer than this companion knows is refused (it could not read what a newer one wrote).
import type { PoolClient } from 'pg';
import { StorageError } from '../errors';
import { MIGRATIONS, SCHEMA_VERSION } from './schema';

/** The advisory lock key migrations hold ("vlschema" in ASCII): one per database. */
const MIGRATION_LOCK = 0x766c736368656d61n;

export class SchemaTooNewError extends StorageError {
  constructor(readonly found: number) {
    super(
      `the database's Visitor Lab schema is version ${found}, newer than this companion's (${SCHEMA_VERSION}): ` +
        'it was written by a newer companion; run that version (or a later one) against it, or give this one another database',
      'ESCHEMA',
    );
  }
}

/** Applies the migrations the database lacks; returns the versions applied (none when up to date). */
export async function migrate(client: PoolClient): Promise<number[]> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    await client.query(`CREATE TABLE IF NOT EXISTS visitor_lab_schema (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM visitor_lab_schema');
    const current = rows[0].v ?? 0;
    if (current > SCHEMA_VERSION) throw new SchemaTooNewError(current);
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO visitor_lab_schema (version, name) VALUES ($1, $2)', [m.version, m.name]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}
