/**
 * What payin keeps of a merchant's Adyen account: the merchant account name and the Checkout
 * endpoint (settings, shown back), the API key and the HMAC key of its standard webhooks
 * (credentials, sealed at rest and never shown back).
 */
export interface AdyenAccount {
  /** The connector account id (`ca_…`). */
  id: string;
  merchantAccount: string;
  /** Checkout API base, version included: `https://checkout-test.adyen.com/v71`. */
  endpoint: string;
  apiKey: string;
  /** Hex, as the Customer Area shows it. */
  hmacKey: string;
  /**
   * Adyen cancels what a partial capture leaves unless the account has multiple partial
   * captures enabled (by Adyen's support): only then may a capture keep the rest capturable.
   */
  multiplePartialCaptures: boolean;
}

export const ADYEN_TEST_ENDPOINT = 'https://checkout-test.adyen.com/v71';

/**
 * The Checkout endpoint for an account. Test accounts default to Adyen's test host; a live
 * account needs its company's live URL prefix
 * (docs.adyen.com/development-resources/live-endpoints).
 */
export function adyenEndpoint(livemode: boolean, settings: { endpoint?: string; live_url_prefix?: string }) {
  if (settings.endpoint) return settings.endpoint.replace(/\/$/, '');
  if (!livemode) return ADYEN_TEST_ENDPOINT;
  if (!settings.live_url_prefix) return undefined;
  return `https://${settings.live_url_prefix}-checkout-live.adyenpayments.com/checkout/v71`;
}
