import { type AttemptStatus, attemptTransitions } from './attempt-status.js';
import { type PaymentStatus, paymentTransitions } from './payment-status.js';

export class IllegalTransitionError extends Error {
  constructor(
    readonly machine: string,
    readonly from: string,
    readonly to: string,
  ) {
    super(`${machine}: transition ${from} -> ${to} is not allowed`);
    this.name = 'IllegalTransitionError';
  }
}

const machines = { payment: paymentTransitions, attempt: attemptTransitions } as const;

export function canTransition(machine: 'payment', from: PaymentStatus, to: PaymentStatus): boolean;
export function canTransition(machine: 'attempt', from: AttemptStatus, to: AttemptStatus): boolean;
export function canTransition(machine: keyof typeof machines, from: string, to: string): boolean {
  const table = machines[machine] as Record<string, readonly string[]>;
  return table[from]?.includes(to) ?? false;
}

/** Throws unless the declared table allows `from -> to`. */
export function assertTransition(machine: 'payment', from: PaymentStatus, to: PaymentStatus): void;
export function assertTransition(machine: 'attempt', from: AttemptStatus, to: AttemptStatus): void;
export function assertTransition(machine: keyof typeof machines, from: string, to: string): void {
  const table = machines[machine] as Record<string, readonly string[]>;
  if (!table[from]?.includes(to)) throw new IllegalTransitionError(machine, from, to);
}
