import type { ProviderModule } from '../provider.js';
import { truelayerAccount, truelayerAccountSpec } from './account.js';
import { TrueLayerConnector } from './index.js';
import { readTrueLayerWebhook, truelayerFact } from './webhooks.js';

/**
 * TrueLayer in the registry. Settings: `merchant_account_id`, `signing_key_id`, and when not
 * TrueLayer's hosts of the account's mode, `auth_endpoint`, `api_endpoint`, `hpp_endpoint`;
 * `jwks_hosts` for webhook keys served elsewhere (the emulator). Credentials: `client_id`,
 * `client_secret`, `signing_private_key` (EC P-521, PEM).
 */
export const truelayerModule: ProviderModule = {
  name: 'truelayer',
  methodTypes: ['open_banking'],
  account: truelayerAccountSpec,
  build(account, deps) {
    const parsed = truelayerAccount(account);
    if (!parsed) return undefined;
    return new TrueLayerConnector(parsed, {
      ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
  },
  /** Checked against TrueLayer's published keys; answered 204, which is all TrueLayer reads. */
  readWebhook: readTrueLayerWebhook,
  factOf: truelayerFact,
};
