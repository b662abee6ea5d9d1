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
