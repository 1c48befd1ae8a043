// The integration suite on PostgreSQL: the companion bundle (as the embedded run builds it), a
// name for this run's databases, and those databases dropped at the end.
import { randomBytes } from 'node:crypto';
import setupBundle from './global-setup';
import { checkTestServer, dropRunDatabases } from './helpers/postgres';

export default async function setup(): Promise<() => Promise<void>> {
  process.env.VISITOR_LAB_TEST_RUN = randomBytes(4).toString('hex');
  await checkTestServer();
  await setupBundle();
  return dropRunDatabases;
}
