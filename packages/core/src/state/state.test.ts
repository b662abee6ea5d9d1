import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attemptStatuses, attemptTransitions } from './attempt-status.js';
import { type PaymentStatus, paymentStatuses, paymentTransitions } from './payment-status.js';
import { assertTransition, canTransition, IllegalTransitionError } from './transition.js';

describe('payment state machine', () => {
  it('has no way out of succeeded or canceled', () => {
    expect(paymentTransitions.succeeded).toEqual([]);
    expect(paymentTransitions.canceled).toEqual([]);
  });

  it('never cancels a payment whose outcome is unknown (processing)', () => {
    expect(canTransition('payment', 'processing', 'canceled')).toBe(false);
  });

  it('reaches every status from requires_payment_method', () => {
    const seen = new Set<PaymentStatus>(['requires_payment_method']);
    const queue: PaymentStatus[] = ['requires_payment_method'];
    while (queue.length) {
      const s = queue.shift() as PaymentStatus;
      for (const n of paymentTransitions[s]) {
        if (!seen.has(n)) {
          seen.add(n);
          queue.push(n);
        }
      }
    }
    expect([...seen].sort()).toEqual([...paymentStatuses].sort());
  });

  it('accepts exactly the transitions in the table', () => {
    fc.assert(
      fc.property(fc.constantFrom(...paymentStatuses), fc.constantFrom(...paymentStatuses), (from, to) => {
        const allowed = (paymentTransitions[from] as readonly string[]).includes(to);
        expect(canTransition('payment', from, to)).toBe(allowed);
        if (allowed) expect(() => assertTransition('payment', from, to)).not.toThrow();
        else expect(() => assertTransition('payment', from, to)).toThrow(IllegalTransitionError);
      }),
    );
  });

  it('ends every random walk in a status with a path back to the table', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 30 }), (choices) => {
        let s: PaymentStatus = 'requires_payment_method';
        for (const c of choices) {
          const next = paymentTransitions[s] as readonly PaymentStatus[];
          if (next.length === 0) break;
          const to = next[c % next.length] as PaymentStatus;
          assertTransition('payment', s, to);
          s = to;
        }
        expect(paymentStatuses).toContain(s);
      }),
    );
  });
});

describe('attempt state machine', () => {
  it('never fails an unknown attempt except on the provider word (failed is a target, never a default)', () => {
    expect(attemptTransitions.unknown).toContain('failed');
    expect(attemptTransitions.captured).toEqual([]);
    expect(attemptTransitions.failed).toEqual([]);
  });

  it('moves an attempt the provider took (processing) only to its outcome, never back to waiting on anyone', () => {
    expect([...attemptTransitions.processing].sort()).toEqual(['authorized', 'captured', 'failed']);
    for (const from of ['pending', 'requires_action', 'unknown'] as const)
      expect(attemptTransitions[from]).toContain('processing');
    for (const s of attemptStatuses)
      if ((attemptTransitions[s] as readonly string[]).includes('pending'))
        throw new Error(`${s} goes back to pending`);
  });

  it('has every target declared as a status', () => {
    for (const s of attemptStatuses)
      for (const n of attemptTransitions[s]) expect(attemptStatuses).toContain(n);
  });
});
