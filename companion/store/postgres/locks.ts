// Transaction-scoped advisory locks keyed by text (a visit, an identity, the contact directory).
// Held until the transaction ends, so a crash of the companion (its connection gone) frees them.
import type { PoolClient } from 'pg';

/**
 * Every write takes this one shared; a reset or a forget that empties the store takes it alone,
 * so it never runs beside a half-applied request.
 */
export const WHOLE_STORE = 'store';

/** Takes the locks of `keys` in the order given (callers sort them: one order, no deadlock). */
export async function lockKeys(c: PoolClient, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  // unnest gives the keys in array order, so the locks are taken in that order.
  await c.query('SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) AS k', [keys]);
}

export async function lockWholeStore(c: PoolClient, exclusive: boolean): Promise<void> {
  await c.query(exclusive ? 'SELECT pg_advisory_xact_lock(hashtextextended($1, 0))' : 'SELECT pg_advisory_xact_lock_shared(hashtextextended($1, 0))', [WHOLE_STORE]);
}
