import { AuditLog } from '../audit/log.js';
import { loadVaultConfig } from '../config.js';
import { connectVaultDatabase } from '../db/connect.js';
import { LocalKeyFileProvider } from './local-key-file.js';
import { rotateKek } from './rotation.js';

/**
 * `npm run vault:rotate-kek`: rotates the key-encryption key of the vault configured by the
 * environment (VAULT_DATABASE_URL or VAULT_DATA_DIR, VAULT_KEK_FILE). Safe while the vault
 * runs on PostgreSQL; embedded PGlite allows one process at a time, so stop the vault first.
 */
const config = loadVaultConfig(process.env, 'unused-by-rotation-unused-by-rotation');
const database = await connectVaultDatabase({
  databaseUrl: config.databaseUrl,
  dataDir: `${config.dataDir}/db`,
});
try {
  const result = await rotateKek(database.db, new LocalKeyFileProvider(config.kekFile), new AuditLog());
  process.stdout.write(
    `new KEK ${result.kek}; ${result.rewrapped} data key(s) re-wrapped; retired: ${result.retired.join(', ') || 'none'}\n`,
  );
} finally {
  await database.close();
}
