import { type AccountSpec, endpointProblem } from '../provider.js';

/**
 * What payin keeps of a merchant's TrueLayer account. Settings (shown back): the three hosts, the
 * merchant account payments are paid into, the `kid` Console gave the request signing key, and
 * extra hosts allowed to serve webhook signing keys. Credentials (sealed at rest, never shown
 * back): the client id and secret, and the request signing private key.
 */
export interface TrueLayerAccount {
  /** The connector account id (`ca_…`). */
  id: string;
  livemode: boolean;
  /** Auth server base: `https://auth.truelayer-sandbox.com`. */
  authEndpoint: string;
  /** Payments API base: `https://api.truelayer-sandbox.com`. */
  apiEndpoint: string;
  /** Hosted payment page base: `https://payment.truelayer-sandbox.com`. */
  hppEndpoint: string;
  /** The merchant account (one per currency at TrueLayer) payments are paid into. */
  merchantAccountId: string;
  /** The `kid` Console shows for the uploaded public key. */
  signingKeyId: string;
  clientId: string;
  clientSecret: string;
  /** EC P-521 private key, PEM (TrueLayer signs with ES512 only). */
  signingPrivateKey: string;
  /** The `return_uri` registered in Console, when it is not payin's return URL of the account. */
  returnUri?: string;
}

/** TrueLayer's hosts (docs.truelayer.com/docs/environments). */
export const TRUELAYER_HOSTS = {
  test: {
    auth: 'https://auth.truelayer-sandbox.com',
    api: 'https://api.truelayer-sandbox.com',
    hpp: 'https://payment.truelayer-sandbox.com',
    webhooks: 'webhooks.truelayer-sandbox.com',
  },
  live: {
    auth: 'https://auth.truelayer.com',
    api: 'https://api.truelayer.com',
    hpp: 'https://payment.truelayer.com',
    webhooks: 'webhooks.truelayer.com',
  },
} as const;

const base = (url: string | undefined, fallback: string) => (url?.trim() || fallback).replace(/\/+$/, '');

/**
 * Hosts besides TrueLayer's own allowed to serve the keys webhooks are signed with (an
 * emulator's), from `jwks_hosts`. A live account has none: it trusts TrueLayer's keys only.
 */
export function jwksHostsOf(livemode: boolean, settings: Record<string, string>): string[] {
  if (livemode) return [];
  return (settings.jwks_hosts ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/**
 * The account from its stored settings and credentials, or undefined when it lacks what every
 * call needs (an account saved half-filled makes no connector rather than failing each call).
 */
export function truelayerAccount(account: {
  id: string;
  livemode: boolean;
  settings: Record<string, string>;
  credentials: Record<string, string>;
}): TrueLayerAccount | undefined {
  const { settings, credentials } = account;
  const hosts = account.livemode ? TRUELAYER_HOSTS.live : TRUELAYER_HOSTS.test;
  const parsed: TrueLayerAccount = {
    id: account.id,
    livemode: account.livemode,
    authEndpoint: base(settings.auth_endpoint, hosts.auth),
    apiEndpoint: base(settings.api_endpoint, hosts.api),
    hppEndpoint: base(settings.hpp_endpoint, hosts.hpp),
    merchantAccountId: settings.merchant_account_id?.trim() ?? '',
    signingKeyId: settings.signing_key_id?.trim() ?? '',
    clientId: credentials.client_id ?? '',
    clientSecret: credentials.client_secret ?? '',
    signingPrivateKey: (credentials.signing_private_key ?? '').replace(/\\n/g, '\n'),
    ...(settings.return_uri ? { returnUri: settings.return_uri } : {}),
  };
  const required = [
    parsed.merchantAccountId,
    parsed.signingKeyId,
    parsed.clientId,
    parsed.clientSecret,
    parsed.signingPrivateKey,
  ];
  return required.every(Boolean) ? parsed : undefined;
}

const HOST_LIST = /^[A-Za-z0-9.:\-/, ]{1,1000}$/;

/** What an operator gives to connect a TrueLayer client (Console: App settings, Payments settings). */
export const truelayerAccountSpec: AccountSpec = {
  settings: {
    merchant_account_id: {
      required: true,
      pattern: /^[\x21-\x7E]{1,100}$/,
      description:
        'The merchant account payments are paid into (Console: Merchant account), in their currency.',
    },
    signing_key_id: {
      required: true,
      pattern: /^[\x21-\x7E]{1,200}$/,
      description: 'The kid Console shows for the uploaded request signing public key.',
    },
    auth_endpoint: { description: "Auth server base; TrueLayer's of the account's mode by default." },
    api_endpoint: { description: "Payments API base; TrueLayer's of the account's mode by default." },
    hpp_endpoint: { description: "Hosted payment page base; TrueLayer's of the account's mode by default." },
    return_uri: {
      description:
        "The return URI registered in Console, when it is not payin's return URL of the account (`return_url` of the connector account), e.g. a page of the shop that forwards its query there.",
    },
    jwks_hosts: {
      pattern: HOST_LIST,
      description:
        "Test mode only: hosts besides TrueLayer's allowed to serve webhook signing keys (an emulator's, `localhost:4100`), comma-separated.",
    },
  },
  credentials: {
    client_id: { required: true, pattern: /^[\x21-\x7E]{1,200}$/, description: 'The client id (Console).' },
    client_secret: {
      required: true,
      pattern: /^[\x21-\x7E]{1,500}$/,
      description: 'The client secret (Console).',
    },
    signing_private_key: {
      required: true,
      pattern: /^\s*-----BEGIN (EC )?PRIVATE KEY-----[\s\S]{50,4000}-----END (EC )?PRIVATE KEY-----\s*$/,
      description: 'The EC P-521 private key requests are signed with (ES512), PEM.',
    },
  },
  defaultMethodTypes: ['open_banking'],
  check(livemode, settings) {
    for (const name of ['auth_endpoint', 'api_endpoint', 'hpp_endpoint', 'return_uri'] as const) {
      const problem = endpointProblem(`settings.${name}`, livemode, settings[name]);
      if (problem) return problem;
    }
    if (livemode && settings.jwks_hosts) {
      return {
        param: 'settings.jwks_hosts',
        message: 'A live account trusts only the webhook keys TrueLayer publishes: leave jwks_hosts out.',
      };
    }
    return undefined;
  },
};
