import { resolve } from 'node:path';
import { serviceSecret } from '@payin/service-auth';
import { loadVaultConfig } from './config.js';
import { startVault } from './server.js';

/**
 * The vault as its own process (`npm start` runs it beside the api): its own port, origin,
 * database and keys. The only process of payin that ever holds a card number.
 */
const env = process.env;
const config = loadVaultConfig(
  env,
  serviceSecret(env, resolve(env.PAYIN_DATA_DIR || './.payin'), !env.VAULT_DATABASE_URL),
);
const vault = await startVault(config);
process.stdout.write(
  `  payin vault    ${config.publicUrl}   (database: ${config.databaseUrl ? 'PostgreSQL' : `embedded PGlite in ${config.dataDir}/db`})\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    vault.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
