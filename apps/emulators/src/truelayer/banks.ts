import type { ProviderFilter } from '@payin/provider-wire/truelayer';

/** An emulated bank (a TrueLayer "provider") the shopper can pick on the hosted payment page. */
export interface EmulatedBank {
  id: string;
  displayName: string;
  countryCode: 'FR' | 'ES';
  /** SEPA Instant: the scheme TrueLayer reports for EUR payments it can send instantly. */
  schemeId: 'sepa_credit_transfer_instant' | 'sepa_credit_transfer';
  /** The IBAN the emulated payer pays from (reported as the payment source once settled). */
  payerIban: string;
}

/** A few French and Spanish banks, all retail, all generally available, EUR only. */
export const emulatedBanks: readonly EmulatedBank[] = [
  {
    id: 'mock-fr-banque-atlantique',
    displayName: 'Banque Atlantique',
    countryCode: 'FR',
    schemeId: 'sepa_credit_transfer_instant',
    payerIban: 'FR7630006000011234567890189',
  },
  {
    id: 'mock-fr-credit-riviera',
    displayName: 'Crédit Riviera',
    countryCode: 'FR',
    schemeId: 'sepa_credit_transfer',
    payerIban: 'FR7610107001011234567890129',
  },
  {
    id: 'mock-es-banco-meseta',
    displayName: 'Banco Meseta',
    countryCode: 'ES',
    schemeId: 'sepa_credit_transfer_instant',
    payerIban: 'ES9121000418450200051332',
  },
  {
    id: 'mock-es-caja-levante',
    displayName: 'Caja Levante',
    countryCode: 'ES',
    schemeId: 'sepa_credit_transfer',
    payerIban: 'ES7921000813610123456789',
  },
];

/**
 * The banks a payment's `provider_selection.filter` lets the shopper choose from
 * (https://docs.truelayer.com/docs/payment-providers): by country, by provider id, minus
 * exclusions. The emulated banks hold EUR accounts only, so a GBP payment finds none here.
 */
export function banksFor(currency: string, filter: ProviderFilter | undefined): EmulatedBank[] {
  if (currency !== 'EUR') return [];
  return emulatedBanks.filter(
    (bank) =>
      (!filter?.countries || filter.countries.includes(bank.countryCode)) &&
      (!filter?.provider_ids || filter.provider_ids.includes(bank.id)) &&
      !filter?.excludes?.provider_ids?.includes(bank.id) &&
      (!filter?.customer_segments || filter.customer_segments.includes('retail')),
  );
}
