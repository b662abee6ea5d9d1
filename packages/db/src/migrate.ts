import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const here = dirname(fileURLToPath(import.meta.url));
/**
 * Beside the file in a built app's bundle (`dist/migrations`); `packages/db/migrations` when
 * running from source. Beside first: a bundle must never pick up another build's copy.
 */
export const migrationsDir = existsSync(join(here, 'migrations'))
  ? join(here, 'migrations')
  : join(here, '..', 'migrations');

// Any constant: serialises migrations when several api processes start at once.
const MIGRATION_LOCK = 72_656_969;

/**
 * Applies migrations/NNNN_name.sql in order, each in its own transaction, once. Versioned SQL
 * files are the schema's history; nothing edits an applied file, a change is a new file.
 */
export async function migrate<DB>(db: Kysely<DB>, dir: string = migrationsDir): Promise<string[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version text PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`.execute(db);
  const files = readdirSync(dir)
    .filter((f) => /^\d{4}_[\w-]+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  for (const file of files) {
    const version = file.slice(0, -4);
    const done = await db.transaction().execute(async (tx) => {
      await sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(tx);
      const seen = await sql<{
        version: string;
      }>`SELECT version FROM schema_migrations WHERE version = ${version}`.execute(tx);
      if (seen.rows.length > 0) return false;
      await sql.raw(readFileSync(join(dir, file), 'utf8')).execute(tx);
      await sql`INSERT INTO schema_migrations (version) VALUES (${version})`.execute(tx);
      return true;
    });
    if (done) applied.push(version);
  }
  return applied;
}
