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
}

export const isCardToken = (paymentMethod: string | null | undefined): paymentMethod is string =>
  typeof paymentMethod === 'string' && paymentMethod.startsWith('tok_');
