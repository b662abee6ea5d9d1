/**
 * The demo shop's catalogue and markets, as data. Prices are integers in each currency's minor
 * unit (JPY has none), as payin takes them.
 */
export type MarketId = 'fr' | 'es' | 'us' | 'jp';

export interface Market {
  id: MarketId;
  country: string;
  currency: 'EUR' | 'USD' | 'JPY';
  locale: 'fr-FR' | 'es-ES' | 'en-US' | 'ja-JP';
  name: string;
}

export const markets: Readonly<Record<MarketId, Market>> = {
  fr: { id: 'fr', country: 'FR', currency: 'EUR', locale: 'fr-FR', name: 'France' },
  es: { id: 'es', country: 'ES', currency: 'EUR', locale: 'es-ES', name: 'España' },
  us: { id: 'us', country: 'US', currency: 'USD', locale: 'en-US', name: 'United States' },
  jp: { id: 'jp', country: 'JP', currency: 'JPY', locale: 'ja-JP', name: '日本' },
};

export const defaultMarket: MarketId = 'fr';

export interface Product {
  sku: string;
  name: string;
  grade: 'excellent' | 'very_good' | 'good';
  prices: Readonly<Record<Market['currency'], number>>;
}

export const products: readonly Product[] = [
  {
    sku: 'iphone-13-128',
    name: 'iPhone 13 · 128 GB',
    grade: 'excellent',
    prices: { EUR: 42_900, USD: 44_900, JPY: 64_800 },
  },
  {
    sku: 'pixel-7-128',
    name: 'Google Pixel 7 · 128 GB',
    grade: 'very_good',
    prices: { EUR: 27_900, USD: 28_900, JPY: 41_800 },
  },
  {
    sku: 'galaxy-s22-256',
    name: 'Samsung Galaxy S22 · 256 GB',
    grade: 'good',
    prices: { EUR: 31_500, USD: 32_900, JPY: 46_800 },
  },
  {
    sku: 'macbook-air-m1',
    name: 'MacBook Air M1 · 8 GB · 256 GB',
    grade: 'excellent',
    prices: { EUR: 64_900, USD: 67_900, JPY: 98_000 },
  },
  {
    sku: 'ipad-9-64',
    name: 'iPad (9th gen.) · 64 GB',
    grade: 'very_good',
    prices: { EUR: 22_900, USD: 23_900, JPY: 34_800 },
  },
  {
    sku: 'switch-oled',
    name: 'Nintendo Switch OLED',
    grade: 'good',
    prices: { EUR: 24_900, USD: 25_900, JPY: 29_800 },
  },
];

export const productBySku = (sku: string) => products.find((p) => p.sku === sku);

export const isMarket = (value: unknown): value is MarketId =>
  typeof value === 'string' && Object.hasOwn(markets, value);
