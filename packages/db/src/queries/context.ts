import type { ListResult, Page, Scope } from '@payin/core';
import type { CompiledQuery, Kysely, SelectQueryBuilder, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../schema.js';
import type { UnitOfWork } from '../unit-of-work.js';

/**
 * The merchant-and-mode condition every merchant-facing query carries: another merchant's
 * objects, or the other mode's, simply do not exist for a request (404, never a leak).
 */
export const inScope = (scope: Scope) =>
  sql<boolean>`merchant_id = ${scope.merchantId} AND livemode = ${scope.livemode}`;

export type Executor = Kysely<Database> | Transaction<Database>;
export const json = (v: unknown) => JSON.stringify(v);

/** What a query method runs on: the pool, or one transaction's connection and unit of work. */
export interface Ctx {
  db: Executor;
  unit?: UnitOfWork;
}

// Inside a transaction writes wait in the unit of work; outside they run at once.
export async function write(
  ctx: Ctx,
  row: string,
  query: { compile(): CompiledQuery; execute(): Promise<unknown> },
) {
  if (ctx.unit) await ctx.unit.add(row, query);
  else await query.execute();
}

type Seqd = { seq: number; id: string };

/**
 * Cursor pagination, newest first. `starting_after` continues below the cursor's seq,
 * `ending_before` above it; one extra row tells whether there is more.
 */
export async function paginate<T extends Seqd, O>(
  db: Executor,
  table: 'payments' | 'refunds' | 'events' | 'webhookEndpoints' | 'allowedOrigins',
  scope: Scope,
  base: SelectQueryBuilder<Database, typeof table, T>,
  page: Page,
  map: (row: T) => O,
): Promise<ListResult<O>> {
  let q = base;
  const cursorId = page.startingAfter ?? page.endingBefore;
  if (cursorId) {
    const cursor = await db
      .selectFrom(table)
      .select('seq')
      .where('id', '=', cursorId)
      .where(inScope(scope))
      .executeTakeFirst();
    // An unknown cursor gives an empty page rather than someone else's ordering.
    const seq = cursor?.seq ?? (page.startingAfter ? 0 : Number.MAX_SAFE_INTEGER);
    q = page.startingAfter
      ? q.where(sql.ref(`${table}.seq`), '<', seq)
      : q.where(sql.ref(`${table}.seq`), '>', seq);
  }
  if (page.endingBefore && !page.startingAfter) {
    const found = (await q
      .orderBy(sql.ref(`${table}.seq`), 'asc')
      .limit(page.limit + 1)
      .execute()) as T[];
    const hasMore = found.length > page.limit;
    return { data: found.slice(0, page.limit).reverse().map(map), hasMore };
  }
  const found = (await q
    .orderBy(sql.ref(`${table}.seq`), 'desc')
    .limit(page.limit + 1)
    .execute()) as T[];
  return { data: found.slice(0, page.limit).map(map), hasMore: found.length > page.limit };
}
