import { loadEmulatorsConfig } from './config.js';
import { startEmulators } from './server.js';

/** The provider emulators as their own process (`npm start` runs them beside the api and the vault). */
const config = loadEmulatorsConfig(process.env);
const emulators = await startEmulators(config);
process.stdout.write(
  `  payin emulators ${config.publicUrl}   (adyen: ${config.publicUrl}/adyen/checkout/v71, paypal: /paypal, klarna: /klarna, truelayer: /truelayer/api)\n`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    emulators.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
