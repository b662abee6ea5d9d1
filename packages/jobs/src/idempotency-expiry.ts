import { sql } from 'kysely';
import type { JobDeps } from './deps.js';

/**
 * Idempotency keys are kept at least 24 hours (API contract); payin keeps them 48 and then
 * deletes them in small batches, so the table stays the size of two days of traffic and no
 * delete holds many locks at once.
 */
export const idempotencyRetentionMs = 48 * 3_600_000;

export async function expireIdempotencyKeys(deps: JobDeps, opts: { limit: number }): Promise<number> {
  const before = new Date(deps.clock.now().getTime() - idempotencyRetentionMs);
  const result = await sql`
    DELETE FROM idempotency_keys
    WHERE (merchant_id, livemode, key) IN (
      SELECT merchant_id, livemode, key FROM idempotency_keys
      WHERE created_at < ${before} AND locked_at IS NULL
      LIMIT ${opts.limit}
    )`.execute(deps.db);
  return Number(result.numAffectedRows ?? 0);
}
