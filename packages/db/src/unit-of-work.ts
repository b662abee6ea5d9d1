import { StaleSnapshotError } from '@payin/core';
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * One store transaction on one connection, built to spend as few round trips as it can (each
 * costs a socket write and a wake-up of the database process: on the payment path they are
 * most of the CPU).
 *
 * - Write-behind: inserts and updates that return nothing wait, and are sent together as one
 *   statement (data-modifying CTEs) when the transaction next reads or ends. Statements in one
 *   CTE all see the snapshot from before it, so two writes to the same row never share a
 *   batch: the second flushes the first.
 * - Lazy BEGIN: the transaction opens at its first read. A transaction that only writes ends
 *   as a single statement in autocommit, which PostgreSQL runs atomically all the same.
 * - Guards (optimistic concurrency): a guard is a `SELECT … FOR UPDATE` that must find rows.
 *   In the single-statement case it leads the statement and a division by its row count
 *   aborts the whole statement when it finds none; after a read it runs as its own query.
 *   Either way a failed guard writes nothing and throws StaleSnapshotError.
 */
export class UnitOfWork {
  private pending: CompiledQuery[] = [];
  private readonly rows = new Set<string>();
  private began = false;
  private guards: CompiledQuery[] = [];

  constructor(private readonly conn: Kysely<Database>) {}

  async add(row: string, query: { compile(): CompiledQuery }): Promise<void> {
    if (this.rows.has(row)) await this.flush();
    this.pending.push(query.compile());
    this.rows.add(row);
  }

  guard(query: CompiledQuery): void {
    this.guards.push(query);
  }

  /** Before any read: the transaction is open, its guards hold, and it sees every write. */
  async beforeRead(): Promise<void> {
    await this.begin();
    await this.checkGuards();
    await this.flush();
  }

  async commit(): Promise<void> {
    if (!this.began) {
      if (this.guards.length > 0 && this.pending.length > 0) {
        const guarded = combine(this.pending, this.guards);
        this.pending = [];
        this.guards = [];
        await this.conn.executeQuery(guarded).catch((err: { code?: string }) => {
          throw err.code === DIVISION_BY_ZERO ? new StaleSnapshotError() : err;
        });
        return;
      }
      await this.send();
      return;
    }
    await this.checkGuards();
    await this.flush();
    await this.conn.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollback(): Promise<void> {
    this.pending = [];
    this.rows.clear();
    if (this.began) await this.conn.executeQuery(CompiledQuery.raw('ROLLBACK'));
  }

  private async checkGuards(): Promise<void> {
    const guards = this.guards;
    this.guards = [];
    for (const g of guards) {
      const found = await this.conn.executeQuery(g);
      if (found.rows.length === 0) throw new StaleSnapshotError();
    }
  }

  private async begin(): Promise<void> {
    if (this.began) return;
    this.began = true;
    await this.conn.executeQuery(CompiledQuery.raw('BEGIN'));
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    await this.begin();
    await this.send();
  }

  private async send(): Promise<void> {
    const queries = this.pending;
    if (queries.length === 0) return;
    this.pending = [];
    this.rows.clear();
    await this.conn.executeQuery(queries.length === 1 ? (queries[0] as CompiledQuery) : combine(queries));
  }
}

const DIVISION_BY_ZERO = '22012';

/**
 * SQL texts come from a few dozen query shapes, so their renumberings are worth remembering
 * (by text, then by offset: no key string to build on every call).
 */
const renumberings = new Map<string, Map<number, string>>();
const MAX_RENUMBERED_TEXTS = 1_000;

function renumbered(sql: string, offset: number): string {
  let byOffset = renumberings.get(sql);
  if (byOffset === undefined) {
    if (renumberings.size >= MAX_RENUMBERED_TEXTS) renumberings.clear();
    byOffset = new Map();
    renumberings.set(sql, byOffset);
  }
  let text = byOffset.get(offset);
  if (text === undefined) {
    // Kysely passes every value as a parameter, so `$n` in its SQL is always a placeholder.
    text = sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
    byOffset.set(offset, text);
  }
  return text;
}

/**
 * `WITH w0 AS (…), w1 AS (…) SELECT 1`, renumbering each statement's $n parameters. With
 * guards: `WITH g0 AS (guard), ok AS (SELECT 1 / (SELECT count(*) FROM g0)), w0 … SELECT * FROM ok`,
 * which fails as a whole when a guard finds no row.
 */
export function combine(queries: CompiledQuery[], guards: CompiledQuery[] = []): CompiledQuery {
  const parts: string[] = [];
  const parameters: unknown[] = [];
  const add = (name: string, q: CompiledQuery) => {
    const offset = parameters.length;
    const text = offset === 0 ? q.sql : renumbered(q.sql, offset);
    parts.push(`${name} AS (${text})`);
    parameters.push(...q.parameters);
  };
  for (const [i, g] of guards.entries()) add(`g${i}`, g);
  if (guards.length > 0) {
    parts.push(
      `ok AS (SELECT 1 / (${guards.map((_, i) => `(SELECT count(*) FROM g${i})`).join(' * ')}) AS ok)`,
    );
  }
  for (const [i, q] of queries.entries()) add(`w${i}`, q);
  return CompiledQuery.raw(
    `WITH ${parts.join(', ')} SELECT ${guards.length > 0 ? 'ok FROM ok' : '1'}`,
    parameters,
  );
}
