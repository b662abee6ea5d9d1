import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectDatabase, type DatabaseHandle, migrate } from '@payin/db';
import type { Kysely } from 'kysely';
import type { VaultDatabase } from './schema.js';

export type VaultDb = Kysely<VaultDatabase>;

const here = dirname(fileURLToPath(import.meta.url));
/** Beside the file in the built bundle (never another build's copy); `apps/vault/migrations` from source. */
const migrationsDir = [join(here, 'migrations'), join(here, '..', '..', 'migrations')].find((d) =>
  existsSync(d),
);

/** The vault's own database: PGlite in `dataDir` by default, PostgreSQL with `VAULT_DATABASE_URL`. */
export async function connectVaultDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
}): Promise<DatabaseHandle<VaultDatabase>> {
  const handle = await connectDatabase<VaultDatabase>({
    databaseUrl: opts.databaseUrl,
    dataDir: opts.dataDir,
    poolSize: 20,
  });
  if (!migrationsDir) throw new Error('vault migrations not found');
  await migrate(handle.db, migrationsDir);
  return handle;
}
