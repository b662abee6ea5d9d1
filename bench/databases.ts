import pg from 'pg';
import { errorMessage } from './errors.js';

/**
 * Creates and drops the throw-away databases of one bench run on the PostgreSQL server that DATABASE_URL
 * points at. Each run gets databases of its own so its rows never mix with anyone else's data, and so
 * the api and the bare server do not see each other's tables.
 */
export class BenchDatabases {
  /** Every name we tried to create, so cleanup drops even one whose CREATE was cut short. */
  private readonly names = new Set<string>();

  constructor(private readonly serverUrl: string) {}

  /** Creates database `name` (dropping a leftover of the same name first) and returns its URL. */
  async create(name: string): Promise<string> {
    const quoted = quoteIdentifier(name);
    this.names.add(name);
    await this.withClient(async (client) => {
      // A leftover can only come from an earlier run killed with the same pid; it is ours to replace.
      await dropDatabase(client, name);
      await client.query(`CREATE DATABASE ${quoted}`);
    });
    return databaseUrl(this.serverUrl, name);
  }

  async drop(name: string): Promise<void> {
    await this.withClient((client) => dropDatabase(client, name));
    this.names.delete(name);
  }

  /** Drops every database this run created; tries them all even if one fails, then reports the failures. */
  async dropAll(): Promise<void> {
    const failures: string[] = [];
    for (const name of [...this.names]) {
      try {
        await this.drop(name);
      } catch (error) {
        failures.push(`${name}: ${errorMessage(error)}`);
      }
    }
    if (failures.length > 0) throw new Error(`could not drop bench databases: ${failures.join('; ')}`);
  }

  // A short-lived connection per operation: nothing stays open on the server's own database while the
  // bench runs, and cleanup still works after a connection of an earlier step went bad.
  private async withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.serverUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }
}

/** Checks that the server answers, so a wrong DATABASE_URL fails before any child is started. */
export async function checkServer(serverUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]?.server_version ?? 'unknown';
  } finally {
    await client.end();
  }
}

/** The server URL with its database swapped for `name`; user, host, port and options are kept. */
export function databaseUrl(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  // Children are stopped before we drop, but a killed process can leave a backend behind for a moment;
  // terminating them first makes DROP work on every PostgreSQL version (WITH (FORCE) needs 13+).
  await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
  await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`);
}

// Database names cannot be bind parameters; the bench only makes names of this shape, so refuse others
// rather than escape them.
function quoteIdentifier(name: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`unexpected database name ${name}`);
  return `"${name}"`;
}
