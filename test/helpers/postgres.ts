// PostgreSQL for the tests: a fresh database per companion on the server the suite is given
// (VISITOR_LAB_TEST_DATABASE_URL, a URL whose user may create databases; by default the local
// server as .ci/run sets it up), dropped afterwards. The integration suite runs once on the
// embedded store and once on PostgreSQL (vitest project integration-postgres, which sets
// VISITOR_LAB_TEST_STORE=postgres).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.VISITOR_LAB_TEST_DATABASE_URL || 'postgres://postgres:visitor-lab@127.0.0.1:5432/postgres';

/** True in the run of the integration suite that is on PostgreSQL. */
export const onPostgres = () => process.env.VISITOR_LAB_TEST_STORE === 'postgres';

/** The prefix of this test run's databases (set by the global setup, inherited by the workers). */
const RUN_PREFIX = () => `vl_test_${process.env.VISITOR_LAB_TEST_RUN ?? 'adhoc'}_`;

let made = 0;

async function admin<T>(work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${TEST_DATABASE_URL.replace(/:[^:@/]*@/, ':***@')} (${(e as Error).message}). ` +
        'The tests need it: bash .ci/run installs and starts it, or point VISITOR_LAB_TEST_DATABASE_URL at a server whose user may create databases.',
    );
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database; its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `${RUN_PREFIX()}${process.pid}_${++made}_${randomBytes(3).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  if (!/^vl_test_\w+$/.test(name)) throw new Error(`not a test database: ${name}`);
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

/** Drops what a test run left (global teardown): the databases of its prefix. */
export async function dropRunDatabases(): Promise<void> {
  await admin(async (c) => {
    const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [RUN_PREFIX()]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`);
  });
}

/** Fails the run early, and plainly, when the server is not there. */
export async function checkTestServer(): Promise<void> {
  await admin((c) => c.query('SELECT 1'));
}
