import type { PaymentRecord } from '../records.js';

/**
 * Which payment methods the checkout offers a payment, as data: a change of offer is a change
 * of this table, not of code. Each rule names the method, where it applies (countries of the
 * payment, currencies) and its amount limits in the currency's minor unit; for a method type,
 * the first rule that matches decides. A method is offered only when one of the merchant's
 * connectors takes it (`ConnectorRegistry.takes`).
 *
 * The marketplace sells in the US, France, Spain and Japan: cards everywhere (Cartes Bancaires
 * first in France, JCB in Japan), PayPal in all four, Klarna where Klarna lends (not Japan), Open
 * Banking payment initiation in France and Spain, and each market's own habit through Adyen:
 * Bizum in Spain, konbini (convenience-store cash vouchers) and PayPay in Japan.
 */
export const methodTypes = [
  'card',
  'paypal',
  'klarna',
  'open_banking',
  'bizum',
  'konbini',
  'paypay',
] as const;
export type MethodType = (typeof methodTypes)[number];

/** Inclusive limits of one currency, minor units. */
export interface AmountLimits {
  min?: number;
  max?: number;
}

export interface MethodRule {
  type: MethodType;
  /** ISO 3166 alpha-2 countries, or '*' for any (a payment without a country matches '*' only). */
  countries: readonly string[] | '*';
  currencies: readonly string[] | '*';
  /** Per currency; a currency without an entry has no limit. */
  limits?: Readonly<Record<string, AmountLimits>>;
  /** For cards: the brands shown, in order. */
  brands?: readonly string[];
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

  // PayPal takes each market's currency; it sets no per-payment limit short of the account's.
  { type: 'paypal', countries: ['US', 'FR', 'ES', 'JP'], currencies: ['USD', 'EUR', 'JPY'] },

  // Klarna: from 1.00 EUR, up to 10,000 EUR in France and 4,000 EUR in Spain (Klarna's published
  // maxima per market; it still approves each purchase). In the US the limits are the merchant's
  // agreement with Klarna: these are the marketplace's. Klarna does not lend in Japan.
  { type: 'klarna', countries: ['FR'], currencies: ['EUR'], limits: { EUR: { min: 100, max: 1_000_000 } } },
  { type: 'klarna', countries: ['ES'], currencies: ['EUR'], limits: { EUR: { min: 100, max: 400_000 } } },
  { type: 'klarna', countries: ['US'], currencies: ['USD'], limits: { USD: { min: 3_500, max: 1_000_000 } } },

  // A transfer the shopper's bank initiates (TrueLayer, SEPA Instant): France and Spain, in euros.
  { type: 'open_banking', countries: ['FR', 'ES'], currencies: ['EUR'], limits: { EUR: { min: 1 } } },

  // Bizum pays up to 1,000 EUR an operation (Bizum's own cap; the shopper's bank may set less).
  { type: 'bizum', countries: ['ES'], currencies: ['EUR'], limits: { EUR: { min: 50, max: 100_000 } } },

  // Konbini: cash at a convenience store before the voucher's deadline, 100 to 299,999 JPY (the
  // stores' cap on one payment slip).
  { type: 'konbini', countries: ['JP'], currencies: ['JPY'], limits: { JPY: { min: 100, max: 299_999 } } },
  { type: 'paypay', countries: ['JP'], currencies: ['JPY'], limits: { JPY: { min: 1 } } },
];

/**
 * A method as the checkout lists it: its type, for cards the brands to show, and for the others
 * what the shopper must give about themselves before paying (`billing_details`).
 */
export interface OfferedMethod {
  type: MethodType;
  brands?: readonly string[];
  billing_details?: readonly BillingField[];
}

const matches = (list: readonly string[] | '*', value: string | null) =>
  list === '*' || (value !== null && list.includes(value));

const withinLimits = (limits: AmountLimits | undefined, amount: number) =>
  !limits ||
  ((limits.min === undefined || amount >= limits.min) && (limits.max === undefined || amount <= limits.max));

/**
 * The methods offered for this payment, in the table's order: per type, the first rule whose
 * country and currency match decides, and the payment's amount must be within its limits.
 */
export function offeredMethods(
  payment: Pick<PaymentRecord, 'country' | 'currency' | 'amount'>,
  takes: (type: MethodType) => boolean,
  rules: readonly MethodRule[] = paymentMethodRules,
): OfferedMethod[] {
  const decided = new Set<MethodType>();
  const offered: OfferedMethod[] = [];
  for (const rule of rules) {
    if (decided.has(rule.type)) continue;
    if (!matches(rule.countries, payment.country) || !matches(rule.currencies, payment.currency)) continue;
    decided.add(rule.type);
    if (!takes(rule.type) || !withinLimits(rule.limits?.[payment.currency], payment.amount)) continue;
    const billing = rule.type === 'card' ? [] : requiredBillingDetails[rule.type];
    offered.push({
      type: rule.type,
      ...(rule.brands ? { brands: rule.brands } : {}),
      ...(billing.length > 0 ? { billing_details: billing } : {}),
    });
  }
  return offered;
}

/** A method type other than a card: paid through a provider's page, app or a voucher. */
export type AlternativeMethodType = Exclude<MethodType, 'card'>;

export const isAlternativeMethod = (value: string | null | undefined): value is AlternativeMethodType =>
  value !== 'card' && (methodTypes as readonly string[]).includes(value ?? '');

/** The method type of a payment's `payment_method`: a vault token or a test method is a card. */
export function methodTypeOf(paymentMethod: string): string {
  return isAlternativeMethod(paymentMethod) ? paymentMethod : 'card';
}

export type BillingField = 'name' | 'email' | 'phone' | 'address';

/**
 * What each method's provider must know of the payer before it can take the payment, as data:
 * TrueLayer creates a payment for a named user with an e-mail (regulation of payment
 * initiation), Adyen's konbini vouchers are issued to a name, an e-mail and a phone number
 * (the store chains send the slip by e-mail and SMS). Klarna asks the shopper itself on its page.
 */
export const requiredBillingDetails: Readonly<Record<AlternativeMethodType, readonly BillingField[]>> = {
  paypal: [],
  klarna: [],
  open_banking: ['name', 'email'],
  bizum: [],
  konbini: ['name', 'email', 'phone'],
  paypay: [],
};

/**
 * Methods whose money moves when the shopper pays, with no separate capture: a bank transfer
 * (Open Banking), Bizum, a konbini voucher paid in cash. A manual-capture payment cannot use them.
 */
export const capturedWhenPaid: ReadonlySet<MethodType> = new Set(['open_banking', 'bizum', 'konbini']);

/** The market rule that lets this payment be paid with `type`, if one does. */
export function ruleFor(
  payment: Pick<PaymentRecord, 'country' | 'currency' | 'amount'>,
  type: MethodType,
  rules: readonly MethodRule[] = paymentMethodRules,
): MethodRule | undefined {
  const rule = rules.find(
    (r) =>
      r.type === type && matches(r.countries, payment.country) && matches(r.currencies, payment.currency),
  );
  return rule && withinLimits(rule.limits?.[payment.currency], payment.amount) ? rule : undefined;
}
