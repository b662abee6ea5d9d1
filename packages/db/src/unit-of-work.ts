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
 */
export class UnitOfWork {
  private pending: CompiledQuery[] = [];
  private readonly rows = new Set<string>();
  private began = false;

  constructor(private readonly conn: Kysely<Database>) {}

  async add(row: string, query: { compile(): CompiledQuery }): Promise<void> {
    if (this.rows.has(row)) await this.flush();
    this.pending.push(query.compile());
    this.rows.add(row);
  }

  /** Before any read: the transaction is open and sees every write made so far. */
  async beforeRead(): Promise<void> {
    await this.begin();
    await this.flush();
  }

  async commit(): Promise<void> {
    if (!this.began) {
      await this.send();
      return;
    }
    await this.flush();
    await this.conn.executeQuery(CompiledQuery.raw('COMMIT'));
  }

  async rollback(): Promise<void> {
    this.pending = [];
    this.rows.clear();
    if (this.began) await this.conn.executeQuery(CompiledQuery.raw('ROLLBACK'));
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

/** `WITH w0 AS (…), w1 AS (…) SELECT 1`, renumbering each statement's $n parameters. */
export function combine(queries: CompiledQuery[]): CompiledQuery {
  const parts: string[] = [];
  const parameters: unknown[] = [];
  for (const [i, q] of queries.entries()) {
    const offset = parameters.length;
    // Kysely passes every value as a parameter, so `$n` in its SQL is always a placeholder.
    parts.push(`w${i} AS (${q.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`);
    parameters.push(...q.parameters);
  }
  return CompiledQuery.raw(`WITH ${parts.join(', ')} SELECT 1`, parameters);
}
