import type { Scope } from './records.js';

/** What the vault lets the api know of a tokenized card (PCI DSS 3.4: never the number). */
export interface TokenCard {
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  country: string | null;
  funding: string | null;
  fingerprint: string;
}

/**
 * The card vault, as core needs it: the masked card behind a `tok_…` of the merchant. Throws a
 * PayinError for a token that is unknown to the merchant or expired, and when the vault cannot
 * be reached. Implemented over HTTP by the api (apps/api/src/vault-cards.ts).
 */
export interface CardTokens {
  describe(scope: Scope, tokenId: string): Promise<TokenCard>;
  /**
   * Sends a provider request through the vault, which fills in `{{tok_….number}}`,
   * `{{tok_….cvc}}`, `{{tok_….exp_month}}`, `{{tok_….exp_year}}`, `{{tok_….exp_year2}}` and
   * `{{tok_….holder_name}}` placeholders; `{{tok_….cvc?}}` is optional, left out (the whole JSON
   * member it is the value of) when the token lacks it. How it ended decides what a connector may conclude:
   * only `not_sent` and `refused` say the provider saw nothing.
   */
  forward(scope: Scope, request: ProviderRequest): Promise<ForwardOutcome>;
}

export interface ProviderRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
}

export interface ProviderAnswer {
  status: number;
  headers: Record<string, string>;
  /** Card numbers masked by the vault, should the provider echo one. */
  body: string;
}

export type ForwardOutcome =
  | { kind: 'answered'; answer: ProviderAnswer }
  /** The vault refused the request (host off its allowlist, a placeholder it cannot fill): nothing was sent. */
  | { kind: 'refused'; code: string; message: string }
  /** The provider could not be reached: nothing was sent. */
  | { kind: 'not_sent'; message: string }
  /** The request may have reached the provider: its outcome is unknown. */
  | { kind: 'unknown'; message: string };

export const isCardToken = (paymentMethod: string | null | undefined): paymentMethod is string =>
  typeof paymentMethod === 'string' && paymentMethod.startsWith('tok_');
