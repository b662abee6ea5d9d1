/**
 * An attempt is one try at a provider. `unknown` is an outcome we could not learn (timeout,
 * connection cut): it is never failed by guesswork, only resolved by the provider's word
 * (webhook or status inquiry).
 */
export const attemptStatuses = [
  'pending',
  'requires_action',
  'processing',
  'unknown',
  'authorized',
  'captured',
  'failed',
  'voided',
] as const;

export type AttemptStatus = (typeof attemptStatuses)[number];

export const attemptTransitions = {
  pending: ['requires_action', 'processing', 'unknown', 'authorized', 'captured', 'failed'],
  requires_action: ['processing', 'unknown', 'authorized', 'captured', 'failed', 'voided'],
  // Taken by the provider, the outcome to come (webhook or status inquiry): only that moves it.
  processing: ['authorized', 'captured', 'failed'],
  unknown: ['requires_action', 'processing', 'authorized', 'captured', 'failed'],
  authorized: ['captured', 'voided'],
  captured: [],
  failed: [],
  voided: [],
} as const satisfies Record<AttemptStatus, readonly AttemptStatus[]>;
