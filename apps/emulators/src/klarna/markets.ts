/**
 * The markets the emulated merchant sells in: Klarna accepts a purchase only in a country with
 * that country's currency ("Supported countries and currencies",
 * docs.klarna.com/klarna-payments/in-depth-knowledge/puchase-countries-currencies-locales).
 * Japan, like any country not listed, is not a Klarna market and is refused.
 *
 * Amount limits are the emulator's choice, in minor units, close to what Klarna's consumer pages
 * publish (US Pay in 4 from $35, financing to $10,000; Europe from a few euros): `min` and `max`
 * bound every purchase, `financingMin` is where pay_over_time starts to be offered. A purchase
 * outside [min, max] gets no category and is refused with BAD_VALUE on order_amount.
 */
export interface Market {
  currency: string;
  /** Locales Klarna offers in the country (language-COUNTRY). */
  locales: string[];
  min: number;
  max: number;
  financingMin: number;
}

const euro = (country: string, languages: string[]): Market => ({
  currency: 'EUR',
  locales: [...languages.map((language) => `${language}-${country}`), `en-${country}`],
  min: 100,
  max: 1_000_000,
  financingMin: 3_500,
});

export const markets: Record<string, Market> = {
  US: { currency: 'USD', locales: ['en-US', 'es-US'], min: 3_500, max: 1_000_000, financingMin: 5_000 },
  CA: { currency: 'CAD', locales: ['en-CA', 'fr-CA'], min: 5_000, max: 1_000_000, financingMin: 5_000 },
  GB: { currency: 'GBP', locales: ['en-GB'], min: 100, max: 1_000_000, financingMin: 3_000 },
  AU: { currency: 'AUD', locales: ['en-AU'], min: 100, max: 200_000, financingMin: 3_500 },
  SE: { currency: 'SEK', locales: ['sv-SE', 'en-SE'], min: 1_000, max: 10_000_000, financingMin: 100_000 },
  NO: { currency: 'NOK', locales: ['nb-NO', 'en-NO'], min: 1_000, max: 10_000_000, financingMin: 100_000 },
  DK: { currency: 'DKK', locales: ['da-DK', 'en-DK'], min: 1_000, max: 10_000_000, financingMin: 100_000 },
  CH: {
    currency: 'CHF',
    locales: ['de-CH', 'fr-CH', 'it-CH', 'en-CH'],
    min: 100,
    max: 1_000_000,
    financingMin: 3_500,
  },
  PL: { currency: 'PLN', locales: ['pl-PL', 'en-PL'], min: 500, max: 5_000_000, financingMin: 15_000 },
  CZ: { currency: 'CZK', locales: ['cs-CZ', 'en-CZ'], min: 2_500, max: 25_000_000, financingMin: 100_000 },
  DE: euro('DE', ['de']),
  AT: euro('AT', ['de']),
  NL: euro('NL', ['nl']),
  BE: euro('BE', ['nl', 'fr']),
  FR: euro('FR', ['fr']),
  ES: euro('ES', ['es']),
  IT: euro('IT', ['it']),
  FI: euro('FI', ['fi', 'sv']),
  IE: euro('IE', []),
  PT: euro('PT', ['pt']),
  GR: euro('GR', ['el']),
};

/** The market of a purchase, or why Klarna refuses it. */
export function marketOf(country: string, currency: string): Market | { field: string; why: string } {
  const market = markets[country.toUpperCase()];
  if (!market) return { field: 'purchase_country', why: `${country} is not a Klarna market` };
  if (market.currency !== currency.toUpperCase())
    return { field: 'purchase_currency', why: `${country} purchases are in ${market.currency}` };
  return market;
}
