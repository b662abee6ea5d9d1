/**
 * What payin keeps of a merchant's Klarna account: the API base (settings, shown back) and the
 * API credentials, a username (`PK…` in the playground) and its password, sent as HTTP Basic
 * (credentials, sealed at rest and never shown back).
 */
export interface KlarnaAccount {
  /** The connector account id (`ca_…`). */
  id: string;
  /** API base without a trailing slash: `https://api.playground.klarna.com`. */
  endpoint: string;
  username: string;
  password: string;
}

/**
 * Klarna's API hosts, by region and mode (docs.klarna.com/api/api-urls): Europe
 * `api.klarna.com` / `api.playground.klarna.com`, North America `api-na.klarna.com` /
 * `api-na.playground.klarna.com`, Oceania `api-oc.klarna.com` / `api-oc.playground.klarna.com`.
 * An account lives in one region: a North American merchant sets `endpoint` to its host.
 */
export const KLARNA_TEST_ENDPOINT = 'https://api.playground.klarna.com';
export const KLARNA_LIVE_ENDPOINT = 'https://api.klarna.com';

/** The API base for an account: its `endpoint` setting, else Europe's host for its mode. */
export function klarnaEndpoint(livemode: boolean, settings: { endpoint?: string }): string {
  if (settings.endpoint) return settings.endpoint.replace(/\/+$/, '');
  return livemode ? KLARNA_LIVE_ENDPOINT : KLARNA_TEST_ENDPOINT;
}
