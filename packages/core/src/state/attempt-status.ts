/**
 * An attempt is one try at a provider. `unknown` is an outcome we could not learn (timeout,
 * connection cut): it is never failed by guesswork, only resolved by the provider's word
 * (webhook or status inquiry).
 */
export const attemptStatuses = [
  'pending',
  'requires_action',
  'unknown',
  'authorized',
  'captured',
  'failed',
  'voided',
] as const;

export type AttemptStatus = (typeof attemptStatuses)[number];

export const attemptTransitions = {
  pending: ['requires_action', 'unknown', 'authorized', 'captured', 'failed'],
  requires_action: ['unknown', 'authorized', 'captured', 'failed', 'voided'],
  unknown: ['requires_action', 'authorized', 'captured', 'failed'],
  authorized: ['captured', 'voided'],
  captured: [],
  failed: [],
  voided: [],
} as const satisfies Record<AttemptStatus, readonly AttemptStatus[]>;
