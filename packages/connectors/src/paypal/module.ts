import { endpointProblem, type OpenedConnectorAccount, type ProviderModule } from '../provider.js';
import { type PayPalAccount, paypalEndpoint } from './account.js';
import { PayPalConnector } from './index.js';
import { paypalFact, verifyDelivery } from './webhooks.js';

/** The account's settings and credentials as the connector reads them. */
export function paypalAccountOf(account: OpenedConnectorAccount): PayPalAccount {
  return {
    id: account.id,
    endpoint: paypalEndpoint(account.livemode, account.settings),
    webhookId: account.settings.webhook_id ?? '',
    clientId: account.credentials.client_id ?? '',
    clientSecret: account.credentials.client_secret ?? '',
  };
}

/**
 * PayPal in the registry. Settings: `endpoint` (API base; PayPal's sandbox or live host by
 * default), `webhook_id` (of payin's webhook URL in the REST app); credentials: `client_id`,
 * `client_secret`.
 */
export const paypalModule: ProviderModule = {
  name: 'paypal',
  methodTypes: ['paypal'],
  account: {
    settings: {
      endpoint: {
        description:
          "API base without a version: PayPal's sandbox or live host by default, an emulator in test mode.",
      },
      webhook_id: {
        pattern: /^[A-Za-z0-9]{1,50}$/,
        description:
          "The id PayPal shows for payin's webhook URL in the REST app: every webhook is signed with it. Until it is set, PayPal's webhooks are refused and payments are settled by asking PayPal.",
      },
    },
    credentials: {
      client_id: {
        required: true,
        pattern: /^[\x21-\x7E]{1,200}$/,
        description: "The REST app's client id.",
      },
      client_secret: {
        required: true,
        pattern: /^[\x21-\x7E]{1,200}$/,
        description: "The REST app's secret.",
      },
    },
    defaultMethodTypes: ['paypal'],
    check(livemode, settings) {
      return endpointProblem('settings.endpoint', livemode, settings.endpoint);
    },
  },
  build(account, deps) {
    const paypal = paypalAccountOf(account);
    if (!paypal.clientId || !paypal.clientSecret) return undefined;
    return new PayPalConnector(paypal, { fetch: deps.fetch, timeoutMs: deps.timeoutMs });
  },
  /**
   * Verified locally with PayPal's certificate (see verifyDelivery); one event per delivery,
   * stored under its event id, which PayPal keeps across retries. PayPal wants any 2xx: payin's
   * 204.
   */
  async readWebhook(account, delivery, deps) {
    const verification = await verifyDelivery(paypalAccountOf(account), delivery, {
      fetch: (input, init) => (deps.fetch ?? fetch)(input, init),
      timeoutMs: deps.timeoutMs,
    });
    if (!verification.ok) return verification;
    return { ok: true, notifications: [{ eventKey: verification.event.id, payload: verification.event }] };
  },
  factOf: paypalFact,
};
