/**
 * The payment's state machine as data: a reader checks a business rule by reading this table.
 * Every write of a payment's status goes through assertTransition() under the payment's lock.
 */
export const paymentStatuses = [
  'requires_payment_method',
  'requires_confirmation',
  'requires_action',
  'processing',
  'requires_capture',
  'succeeded',
  'canceled',
] as const;

export type PaymentStatus = (typeof paymentStatuses)[number];

export const paymentTransitions = {
  requires_payment_method: ['requires_confirmation', 'processing', 'canceled'],
  requires_confirmation: ['processing', 'requires_payment_method', 'canceled'],
  // While processing the outcome is not known: the provider may have charged. No cancel here;
  // only the outcome (learned now, by webhook or by status inquiry) moves the payment on.
  processing: ['requires_action', 'requires_capture', 'succeeded', 'requires_payment_method'],
  requires_action: ['processing', 'requires_capture', 'succeeded', 'requires_payment_method', 'canceled'],
  // A partial capture that is not final keeps the payment in requires_capture.
  requires_capture: ['requires_capture', 'succeeded', 'canceled'],
  succeeded: [],
  canceled: [],
} as const satisfies Record<PaymentStatus, readonly PaymentStatus[]>;

export const cancelableStatuses: readonly PaymentStatus[] = paymentStatuses.filter((s) =>
  (paymentTransitions[s] as readonly PaymentStatus[]).includes('canceled'),
);

export const confirmableStatuses: readonly PaymentStatus[] = [
  'requires_payment_method',
  'requires_confirmation',
];
