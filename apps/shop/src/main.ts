import { loadShopConfig } from './config.js';
import { startShop } from './server.js';

/** The demo shop as its own process (`npm start` runs it at http://localhost:3000). */
const config = loadShopConfig();
const shop = await startShop(config);
process.stdout.write(`  demo shop      ${config.publicUrl}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    shop.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
