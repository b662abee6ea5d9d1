import type { Money } from '@payin/provider-wire/paypal';
import { invalid, type PayPalApiName, unprocessable } from './errors.js';

/**
 * The currencies PayPal settles in and their decimals
 * (https://developer.paypal.com/api/rest/reference/currency-codes/): HUF, JPY and TWD take no
 * decimals, every other one two. Amounts go over the wire as PayPal's decimal strings ("49.90");
 * the emulator keeps them in minor units to add and compare them exactly.
 */
export const currencyDecimals: Record<string, number> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  RUB: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  USD: 2,
};

export interface Amount {
  currency: string;
  /** Minor units (cents; yen for JPY). */
  minor: number;
}

/** The spec's `money.value` pattern. */
const VALUE = /^((-?[0-9]+)|(-?([0-9]+)?[.][0-9]+))$/;

/**
 * A `money` object from a request, checked the way PayPal does: a missing or malformed field is
 * a 400 INVALID_REQUEST, a well-formed amount PayPal will not take (unsupported currency, too
 * many decimals, zero or negative) a 422 UNPROCESSABLE_ENTITY. `field` is the JSON pointer
 * PayPal reports, e.g. `/purchase_units/@reference_id=='default'/amount`.
 */
export function amountOf(api: PayPalApiName, money: unknown, field: string): Amount {
  if (typeof money !== 'object' || money === null) return missing(api, field);
  const { currency_code: currency, value } = money as Partial<Money>;
  if (currency === undefined) return missing(api, `${field}/currency_code`);
  if (value === undefined) return missing(api, `${field}/value`);
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency))
    throw invalid(api, 'INVALID_PARAMETER_VALUE', `${field}/currency_code`, String(currency));
  if (typeof value !== 'string' || value.length > 32 || !VALUE.test(value))
    throw invalid(api, 'INVALID_PARAMETER_VALUE', `${field}/value`, String(value));
  const decimals = currencyDecimals[currency];
  if (decimals === undefined)
    throw unprocessable(api, 'CURRENCY_NOT_SUPPORTED', `${field}/currency_code`, currency);
  const [whole = '', fraction = ''] = value.replace(/^-/, '').split('.');
  if (fraction.length > decimals || (decimals === 0 && value.includes('.'))) {
    // Orders v2 answers DECIMAL_PRECISION for any excess decimals; Payments v2 has its own
    // DECIMALS_NOT_SUPPORTED for currencies without decimals (both issue enums in specs/paypal).
    const issue = api === 'payments' && decimals === 0 ? 'DECIMALS_NOT_SUPPORTED' : 'DECIMAL_PRECISION';
    throw unprocessable(api, issue, `${field}/value`, value);
  }
  const minor = Number(whole || '0') * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
  if (value.startsWith('-') || minor <= 0)
    throw unprocessable(api, 'CANNOT_BE_ZERO_OR_NEGATIVE', `${field}/value`, value);
  return { currency, minor };
}

function missing(api: PayPalApiName, field: string): never {
  throw invalid(api, 'MISSING_REQUIRED_PARAMETER', field);
}

/** PayPal's `money` for an amount in minor units: "49.90", "1000" for JPY. */
export function moneyOf({ currency, minor }: Amount): Money {
  const decimals = currencyDecimals[currency] ?? 2;
  const value = decimals === 0 ? String(minor) : (minor / 10 ** decimals).toFixed(decimals);
  return { currency_code: currency, value };
}
