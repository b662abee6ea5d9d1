import { isCurrency } from './currencies.js';

/**
 * Largest amount payin accepts in minor units. Far above any single order (10^12 cents is
 * ten billion dollars) and far below 2^53, so amounts stay exact as JavaScript numbers and
 * as PostgreSQL bigints.
 */
export const MAX_AMOUNT = 999_999_999_999;

export interface Money {
  /** Integer, minor units of `currency`. */
  amount: number;
  currency: string;
}

export function isValidAmount(amount: unknown): amount is number {
  return typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0 && amount <= MAX_AMOUNT;
}

export function money(amount: number, currency: string): Money {
  if (!isValidAmount(amount)) throw new RangeError(`invalid amount ${amount}`);
  if (!isCurrency(currency)) throw new RangeError(`unknown currency ${currency}`);
  return { amount, currency };
}

/** Sum of integer amounts; throws instead of silently losing precision. */
export function sumAmounts(amounts: readonly number[]): number {
  let total = 0;
  for (const a of amounts) {
    if (!Number.isSafeInteger(a)) throw new RangeError(`not an integer amount: ${a}`);
    total += a;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError('amount overflow');
  return total;
}
