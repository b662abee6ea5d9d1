import type { CardTokens, Connector, ProviderFact, Scope } from '@payin/core';

/**
 * One provider's part of payin, the same shape for each (adyen/, paypal/, klarna/, truelayer/):
 * the connector built from a merchant's account, the reading of its webhooks, and what a stored
 * notification means in payin's terms. The registry and the api's webhook route know providers
 * only through this.
 */
export interface ProviderModule {
  /** The connector's name, as attempts and connector accounts record it (`adyen`). */
  readonly name: string;
  /** The method types an account of this provider may take (`card`, `paypal`, …). */
  readonly methodTypes: readonly string[];
  /** What an account of this provider holds: checked when an operator connects one. */
  readonly account: AccountSpec;
  /** The connector for one account, or undefined when its settings cannot make one. */
  build(account: OpenedConnectorAccount, deps: ConnectorDeps): Connector | undefined;
  /**
   * Verifies a webhook delivery for this account, the provider's way, and returns what to store.
   * Nothing of a delivery that fails verification is kept. May call the provider (a signing
   * key to fetch, an order to read back when the provider's notifications are not signed).
   */
  readWebhook(
    account: OpenedConnectorAccount,
    delivery: WebhookDelivery,
    deps: ConnectorDeps,
  ): Promise<WebhookReading>;
  /** A stored notification as payin's fact; undefined when it cannot be read. */
  factOf(payload: unknown): ProviderFact | undefined;
}

/** What a connector may use besides its account: the vault's proxy, the timeout, HTTP. */
export interface ConnectorDeps {
  cards?: CardTokens;
  /** How long to wait for the provider before an outcome is unknown. */
  timeoutMs?: number;
  /** Replaces the global fetch (tests). */
  fetch?: typeof fetch;
  /**
   * payin's webhook URL for this account (`<public url>/webhooks/<connector>/<account>`), for a
   * provider told per payment where to notify (Klarna's `merchant_urls.notification`).
   */
  webhookUrl?: string;
}

/** A merchant's connector account with its credentials opened, as the registry builds connectors from it. */
export interface OpenedConnectorAccount extends Scope {
  id: string;
  connector: string;
  paymentMethodTypes: string[];
  settings: Record<string, string>;
  credentials: Record<string, string>;
}

/** A webhook as payin's endpoint received it. Header names are lower case. */
export interface WebhookDelivery {
  headers: Record<string, string | undefined>;
  /** The body's bytes as sent (signatures are over these), as UTF-8. */
  rawBody: string;
  /** The body parsed as JSON, when it is JSON. */
  body: unknown;
}

export type WebhookReading =
  | {
      ok: true;
      /** `eventKey` makes two deliveries of one notification one (stored once). */
      notifications: { eventKey: string; payload: unknown }[];
      /** What the provider expects back; default `204 No Content`. */
      answer?: { contentType: string; body: string };
    }
  | {
      ok: false;
      status: 400 | 401;
      code: string;
      message: string;
      /** For payin's log, not the answer: what was refused (ids, never secrets). */
      detail?: string;
    };

/** One setting or credential of a connector account. */
export interface AccountField {
  required?: boolean;
  /** The whole value must match. */
  pattern?: RegExp;
  description: string;
}

/**
 * The settings (shown back) and credentials (sealed, never shown back) of a provider's account,
 * and a check of them together (an endpoint a live account may use, …) returning what is wrong.
 */
export interface AccountSpec {
  settings: Readonly<Record<string, AccountField>>;
  credentials: Readonly<Record<string, AccountField>>;
  /** Method types an account takes when the operator names none. */
  defaultMethodTypes: readonly string[];
  check?(livemode: boolean, settings: Record<string, string>): { param: string; message: string } | undefined;
}

/** A provider endpoint setting: https for a live account; a test account may point at an emulator over http. */
export function endpointProblem(
  param: string,
  livemode: boolean,
  value: string | undefined,
): { param: string; message: string } | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { param, message: 'Not a URL.' };
  }
  if (url.protocol === 'https:' || (!livemode && url.protocol === 'http:')) return undefined;
  return {
    param,
    message: livemode ? 'A live endpoint must use https.' : 'The endpoint must be an http or https URL.',
  };
}
