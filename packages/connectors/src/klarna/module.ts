import type { Order } from '@payin/provider-wire/klarna';
import { endpointProblem, type ProviderModule } from '../provider.js';
import { klarnaEndpoint } from './account.js';
import { KlarnaClient } from './client.js';
import { KLARNA_TIMEOUT_MS, KlarnaConnector } from './index.js';
import { eventKey, klarnaFact, notifiedOrderId } from './webhooks.js';

function accountOf(account: Parameters<ProviderModule['build']>[0]) {
  return {
    id: account.id,
    endpoint: klarnaEndpoint(account.livemode, account.settings),
    username: account.credentials.username ?? '',
    password: account.credentials.password ?? '',
  };
}

/**
 * Klarna in the registry. Settings: `endpoint` (API base; Europe's playground or live host by
 * default, `https://api-na.klarna.com` and its playground for North America); credentials:
 * `username`, `password` (the API credentials of Klarna's Merchant Portal).
 */
export const klarnaModule: ProviderModule = {
  name: 'klarna',
  methodTypes: ['klarna'],
  account: {
    settings: {
      endpoint: {
        description:
          "API base: https://api.playground.klarna.com (test) or https://api.klarna.com (live) by default; a North American account's is https://api-na.playground.klarna.com or https://api-na.klarna.com (an emulator in test mode).",
      },
    },
    credentials: {
      username: {
        required: true,
        pattern: /^[\x21-\x7E]{1,255}$/,
        description: "The API username of Klarna's Merchant Portal (Settings > Klarna API keys).",
      },
      password: {
        required: true,
        pattern: /^[\x20-\x7E]{1,1000}$/,
        description: 'The password of that API username.',
      },
    },
    defaultMethodTypes: ['klarna'],
    check: (livemode, settings) => endpointProblem('settings.endpoint', livemode, settings.endpoint),
  },
  build(account, deps) {
    const opened = accountOf(account);
    if (!opened.username || !opened.password) return undefined;
    return new KlarnaConnector(opened, {
      ...(deps.timeoutMs !== undefined ? { timeoutMs: deps.timeoutMs } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
      ...(deps.webhookUrl ? { webhookUrl: deps.webhookUrl } : {}),
    });
  },
  /**
   * Unsigned notifications, verified by reading the order back from Klarna: an order this
   * account's credentials cannot read is refused. When Klarna cannot be asked, the delivery is
   * neither kept nor refused: the error answers 5xx and Klarna sends it again.
   */
  async readWebhook(account, delivery, deps) {
    const orderId = notifiedOrderId(delivery.body);
    if (!orderId) {
      return {
        ok: false,
        status: 400,
        code: 'parameter_invalid',
        message: 'Not a Klarna notification: order_id is missing or malformed.',
      };
    }
    const client = new KlarnaClient(accountOf(account), {
      timeoutMs: deps.timeoutMs ?? KLARNA_TIMEOUT_MS,
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    });
    const read = await client.get<Order>(`/ordermanagement/v1/orders/${encodeURIComponent(orderId)}`);
    if (read.kind === 'rejected' && (read.status === 404 || read.status === 401 || read.status === 403)) {
      return {
        ok: false,
        status: 401,
        code: 'notification_unverified',
        message: 'Klarna does not know this order for this connector account.',
        detail: `order ${orderId}: ${read.detail}`,
      };
    }
    if (read.kind !== 'answered' || read.body?.order_id !== orderId) {
      const why =
        read.kind === 'answered' ? 'another order' : read.kind === 'rejected' ? read.detail : read.reason;
      throw new Error(`Klarna order ${orderId} could not be read back: ${why}`);
    }
    return { ok: true, notifications: [{ eventKey: eventKey(read.body), payload: read.body }] };
  },
  factOf: klarnaFact,
};
