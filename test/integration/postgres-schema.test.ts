// The PostgreSQL store's schema: made once when companions start together, and a database whose
// schema is newer than the companion knows is refused with a message that says what to do.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../companion/store/postgres/schema';
import { api, spawnCompanion } from '../helpers/companion';
import { onPostgres } from '../helpers/postgres';
import { useSharedDatabases } from '../helpers/shared-database';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe.runIf(onPostgres())('the PostgreSQL schema', () => {
  const shared = useSharedDatabases();

  it('is made once by companions starting together, and they all answer', async () => {
    const database = await shared.database();
    const started = await Promise.all([0, 1, 2].map(() => shared.spawn(database)));
    const applied = await query<{ version: number }>(database, 'SELECT version FROM visitor_lab_schema ORDER BY version');
    expect(applied.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    expect(started.filter((c) => c.output().includes('applied migration'))).toHaveLength(1);
    for (const c of started) expect((await api(c.url).get('/lab/health')).body).toMatchObject({ status: 'ok', store: 'postgres' });
  });

  it('newer than the companion knows: it refuses to start and says why', async () => {
    const database = await shared.database();
    const first = await shared.spawn(database);
    first.child.kill('SIGTERM');
    await first.exited;
    // Stopped cleanly, it says where what it acknowledged is.
    expect(first.output()).toContain('Stopped; everything acknowledged is committed in the database.');
    await query(database, `INSERT INTO visitor_lab_schema (version, name) VALUES (${SCHEMA_VERSION + 1}, 'from a newer companion')`);
    const refused = spawnCompanion(['--port', '0', '--store', database, '--quiet']);
    await expect(refused).rejects.toThrow(new RegExp(`schema is version ${SCHEMA_VERSION + 1}, newer than this companion's \\(${SCHEMA_VERSION}\\)`));
    // Nothing was changed: the newer version is still the last one.
    expect((await query<{ v: number }>(database, 'SELECT max(version) AS v FROM visitor_lab_schema'))[0].v).toBe(SCHEMA_VERSION + 1);
  });

  it('an unreachable database: the companion says so and does not start', async () => {
    const refused = spawnCompanion(['--port', '0', '--store', 'postgres://nobody:wrong@127.0.0.1:1/none', '--quiet']);
    await expect(refused).rejects.toThrow(/visitor-lab: cannot reach the database postgres:\/\/nobody:\*\*\*@127\.0\.0\.1:1\/none: .*ECONNREFUSED.*Start PostgreSQL there, or give --store another URL/);
  });
});

describe.runIf(onPostgres())('companions sharing a database with another --visit-expiration', () => {
  const shared = useSharedDatabases();

  it('a companion whose setting differs from the one the data was computed with says so at start', async () => {
    const database = await shared.database();
    const start = async (expiration: string) => (await shared.spawn(database, ['--visit-expiration', expiration])).output();
    expect(await start('100')).not.toContain('its data was computed with');
    expect(await start('200')).toContain('database: its data was computed with --visit-expiration 100; this companion uses 200 from now on');
    expect(await start('200')).not.toContain('its data was computed with');
  });
});
