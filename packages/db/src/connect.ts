import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/** A connected database; `DB` is the schema's type (the api's by default, the vault has its own). */
export interface DatabaseHandle<DB = Database> {
  db: Kysely<DB>;
  kind: 'pglite' | 'postgres';
  /** Answers true when the database accepts a query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** postgres://… ; when absent, embedded PGlite in `dataDir`. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; 'memory://' for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
}

// Amounts are bigint columns: read them as numbers. Safe because amounts are capped far
// below 2^53 (see MAX_AMOUNT in @payin/core) and sequence numbers never get near it.
const int8AsNumber = (v: string) => Number(v);

export async function connectDatabase<DB = Database>(opts: ConnectOptions): Promise<DatabaseHandle<DB>> {
  // Column names only: JSON documents (metadata, event data) keep the keys they were written with.
  const plugins = [new CamelCasePlugin({ maintainNestedObjectKeys: true })];
  if (opts.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: opts.poolSize ?? 20,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === 20 ? int8AsNumber : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // An idle client that loses its server must not crash the process; the next query reconnects.
    pool.on('error', () => undefined);
    pool.on('connect', preparedStatements);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins });
    return {
      db,
      kind: 'postgres',
      ping: () => ping(db),
      close: () => db.destroy(),
    };
  }
  // Loaded only in embedded mode: the WASM build costs ~45 MB of memory a PostgreSQL deployment
  // does not need.
  const { PGlite, types: pgliteTypes } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('./pglite-dialect.js');
  const dataDir = opts.dataDir ?? './.payin/db';
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite(dataDir, { parsers: { [pgliteTypes.INT8]: int8AsNumber } });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite), plugins });
  return {
    db,
    kind: 'pglite',
    ping: () => ping(db),
    close: async () => {
      await db.destroy();
      await pglite.close();
    },
  };
}

/**
 * Queries with parameters run as named prepared statements, one per distinct SQL text: the
 * server parses and plans each shape once per connection instead of at every call. Kysely
 * compiles the same text for the same query shape, so the shapes are few (a few hundred).
 */
function preparedStatements(client: pg.PoolClient) {
  const names = new Map<string, string>();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const prepared = (text: unknown, values?: unknown, ...rest: unknown[]) => {
    if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || rest.length > 0) {
      return query(text, values, ...rest);
    }
    let name = names.get(text);
    if (!name) {
      name = `payin_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
      names.set(text, name);
    }
    return query({ name, text, values });
  };
  client.query = prepared as typeof client.query;
}

async function ping<DB>(db: Kysely<DB>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
