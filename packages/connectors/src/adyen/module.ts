import { endpointProblem, type ProviderModule } from '../provider.js';
import { adyenEndpoint } from './account.js';
import { AdyenConnector } from './index.js';
import { adyenFact, eventKey, notificationItems, verifyNotification } from './webhooks.js';

/**
 * Adyen in the registry. Settings: `merchant_account`, `endpoint` or `live_url_prefix`,
 * `multiple_partial_captures`; credentials: `api_key`, `hmac_key` (the standard webhook's).
 */
export const adyenModule: ProviderModule = {
  name: 'adyen',
  methodTypes: ['card', 'bizum', 'konbini', 'paypay'],
  account: {
    settings: {
      merchant_account: {
        required: true,
        pattern: /^[\x21-\x7E]{1,255}$/,
        description: "Adyen's merchant account name.",
      },
      endpoint: { description: 'Checkout API base, version included (an emulator in test mode).' },
      live_url_prefix: {
        pattern: /^[A-Za-z0-9-]{1,100}$/,
        description: "A live account's URL prefix (Customer Area, Developers > API URLs).",
      },
      multiple_partial_captures: {
        pattern: /^(true|false)$/,
        description:
          'Whether Adyen enabled multiple partial captures on the account; without them Adyen cancels what a partial capture leaves, so only final captures are sent.',
      },
    },
    credentials: {
      api_key: {
        required: true,
        pattern: /^[\x21-\x7E]{1,1000}$/,
        description: 'The API key of the web service user.',
      },
      hmac_key: {
        required: true,
        pattern: /^([0-9A-Fa-f]{2}){16,128}$/,
        description: 'The HMAC key of the standard webhook, in hex as the Customer Area shows it.',
      },
    },
    defaultMethodTypes: ['card'],
    check(livemode, settings) {
      const endpoint = endpointProblem('settings.endpoint', livemode, settings.endpoint);
      if (endpoint) return endpoint;
      if (!adyenEndpoint(livemode, settings)) {
        return {
          param: 'settings.live_url_prefix',
          message:
            'A live Adyen account needs its live URL prefix (Customer Area, Developers > API URLs) or an endpoint.',
        };
      }
      return undefined;
    },
  },
  build(account, deps) {
    const endpoint = adyenEndpoint(account.livemode, account.settings);
    if (!endpoint) return undefined;
    return new AdyenConnector(
      {
        id: account.id,
        merchantAccount: account.settings.merchant_account ?? '',
        endpoint,
        apiKey: account.credentials.api_key ?? '',
        hmacKey: account.credentials.hmac_key ?? '',
        multiplePartialCaptures: account.settings.multiple_partial_captures === 'true',
      },
      { cards: deps.cards, timeoutMs: deps.timeoutMs },
    );
  },
  /**
   * Adyen's standard webhooks: every item's HMAC is checked before anything is kept (one bad
   * item refuses the batch), and the answer is `[accepted]`, which Adyen retries until it reads.
   */
  async readWebhook(account, delivery) {
    const items = notificationItems(delivery.body);
    if (!items) {
      return {
        ok: false,
        status: 400,
        code: 'parameter_invalid',
        message: 'Not an Adyen notification: notificationItems is missing or malformed.',
      };
    }
    const live = (delivery.body as { live?: unknown }).live;
    if (live !== undefined && String(live) !== String(account.livemode)) {
      return {
        ok: false,
        status: 400,
        code: 'parameter_invalid',
        message: `This connector account is in ${account.livemode ? 'live' : 'test'} mode.`,
      };
    }
    const hmacKey = account.credentials.hmac_key ?? '';
    const unsigned = items.filter((item) => !verifyNotification(item, hmacKey));
    if (unsigned.length > 0) {
      return {
        ok: false,
        detail: `bad HMAC signature: ${unsigned.map((i) => `${i.eventCode}:${i.pspReference}`).join(', ')}`,
        status: 401,
        code: 'signature_invalid',
        message: 'A notification item is not signed with the HMAC key of this connector account.',
      };
    }
    return {
      ok: true,
      notifications: items.map((item) => ({ eventKey: eventKey(item), payload: item })),
      answer: { contentType: 'text/plain; charset=utf-8', body: '[accepted]' },
    };
  },
  factOf: adyenFact,
};
