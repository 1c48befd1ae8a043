// Companions spawned on PostgreSQL databases of their own, for one describe block: the
// databases made on demand, and afterwards every companion SIGKILLed and every database dropped.
import { afterAll } from 'vitest';
import { spawnCompanion, type ChildCompanion } from './companion';
import { createTestDatabase, dropTestDatabase } from './postgres';

export interface SharedDatabases {
  /** A new, empty database (dropped after the block). */
  database(): Promise<string>;
  /** The CLI on `database` (`--port 0 --quiet` and `args`), killed after the block. */
  spawn(database: string, args?: string[]): Promise<ChildCompanion>;
}

export function useSharedDatabases(): SharedDatabases {
  const children: ChildCompanion[] = [];
  const databases: string[] = [];
  afterAll(async () => {
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    for (const d of databases) await dropTestDatabase(d);
  });
  return {
    async database() {
      const d = await createTestDatabase();
      databases.push(d);
      return d;
    },
    async spawn(database, args = []) {
      const c = await spawnCompanion(['--port', '0', '--store', database, '--quiet', ...args]);
      children.push(c);
      return c;
    },
  };
}
