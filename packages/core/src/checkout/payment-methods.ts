import type { PaymentRecord } from '../records.js';

/**
 * Which payment methods the checkout offers a payment, as data: a change of offer is a change
 * of this table, not of code. Each rule names the method, where it applies (countries of the
 * payment, currencies) and its amount limits in the currency's minor unit. Card brands follow
 * the shopper's market: Cartes Bancaires leads in France, JCB is offered in Japan.
 */
export interface MethodRule {
  type: 'card';
  /** ISO 3166 alpha-2 countries, or '*' for any (a payment without a country matches '*' only). */
  countries: readonly string[] | '*';
  currencies: readonly string[] | '*';
  /** Inclusive limits per currency, minor units. */
  limits?: Readonly<Record<string, { min?: number; max?: number }>>;
  /** For cards: the brands shown, in order. */
  brands: readonly string[];
}

export const paymentMethodRules: readonly MethodRule[] = [
  {
    type: 'card',
    countries: ['FR'],
    currencies: '*',
    brands: ['cartes_bancaires', 'visa', 'mastercard', 'amex'],
  },
  { type: 'card', countries: ['JP'], currencies: '*', brands: ['visa', 'mastercard', 'jcb', 'amex'] },
  { type: 'card', countries: '*', currencies: '*', brands: ['visa', 'mastercard', 'amex'] },
];

export interface OfferedMethod {
  type: 'card';
  brands: readonly string[];
}

const matches = (list: readonly string[] | '*', value: string | null) =>
  list === '*' || (value !== null && list.includes(value));

/**
 * The methods offered for this payment, first matching rule per type, among the types the
 * merchant can take (`takes`: a connector exists for it in the payment's mode).
 */
export function offeredMethods(
  payment: Pick<PaymentRecord, 'country' | 'currency' | 'amount'>,
  takes: (type: MethodRule['type']) => boolean,
  rules: readonly MethodRule[] = paymentMethodRules,
): OfferedMethod[] {
  const offered = new Map<string, OfferedMethod>();
  for (const rule of rules) {
    if (offered.has(rule.type) || !takes(rule.type)) continue;
    if (!matches(rule.countries, payment.country) || !matches(rule.currencies, payment.currency)) continue;
    const limit = rule.limits?.[payment.currency];
    if (
      limit &&
      ((limit.min !== undefined && payment.amount < limit.min) ||
        (limit.max !== undefined && payment.amount > limit.max))
    )
      continue;
    offered.set(rule.type, { type: rule.type, brands: rule.brands });
  }
  return [...offered.values()];
}
