/**
 * What the vault knows of an issuer from a card number's leading digits: funding and country.
 * Production reads a licensed BIN table; this one holds the test cards providers publish
 * (Stripe, Adyen), so the sandbox and the emulators show realistic data. Longest prefix wins;
 * unknown BINs answer null, and the API says so rather than guessing.
 */
export interface IssuerInfo {
  funding: 'credit' | 'debit' | 'prepaid';
  /** ISO 3166-1 alpha-2. */
  country: string;
}

const issuers: Record<string, IssuerInfo> = {
  '424242': { funding: 'credit', country: 'US' },
  '400005': { funding: 'debit', country: 'US' },
  '400000': { funding: 'credit', country: 'US' },
  '40000025': { funding: 'credit', country: 'FR' },
  '40000724': { funding: 'credit', country: 'ES' },
  '40000392': { funding: 'credit', country: 'JP' },
  '403550': { funding: 'credit', country: 'FR' },
  '555555': { funding: 'credit', country: 'US' },
  '55555525': { funding: 'credit', country: 'FR' },
  '520082': { funding: 'debit', country: 'US' },
  '222300': { funding: 'credit', country: 'US' },
  '378282': { funding: 'credit', country: 'US' },
  '371449': { funding: 'credit', country: 'US' },
  '601111': { funding: 'credit', country: 'US' },
  '305693': { funding: 'credit', country: 'US' },
  '353011': { funding: 'credit', country: 'JP' },
  '356999': { funding: 'credit', country: 'JP' },
  '620000': { funding: 'credit', country: 'CN' },
};

export function issuerOf(pan: string): IssuerInfo | null {
  for (let length = Math.min(11, pan.length); length >= 6; length--) {
    const found = issuers[pan.slice(0, length)];
    if (found) return found;
  }
  return null;
}
