import { describe, expect, it } from 'vitest';
import { failureFor, failureReasons, requestRefused } from './errors.js';

describe('failureFor', () => {
  it('reads a cancellation by the shopper, at TrueLayer’s page or at the bank', () => {
    expect(failureFor('canceled').error.code).toBe('canceled_by_shopper');
    expect(failureFor('user_canceled_at_provider').error.code).toBe('canceled_by_shopper');
  });

  it('reads an authorisation not given in time as expired', () => {
    expect(failureFor('expired').error.code).toBe('payment_expired');
    expect(failureFor('provider_expired').error.code).toBe('payment_expired');
  });

  it('reads the bank’s refusals as declines, insufficient funds with its decline code', () => {
    for (const reason of ['rejected', 'provider_rejected', 'authorization_failed', 'blocked']) {
      expect(failureFor(reason).error.code).toBe('payment_declined');
    }
    expect(failureFor('insufficient_funds').error).toMatchObject({
      code: 'payment_declined',
      declineCode: 'insufficient_funds',
    });
  });

  it('reads the bank’s or TrueLayer’s trouble as worth trying again', () => {
    expect(failureFor('provider_error')).toMatchObject({ retry: true, error: { code: 'payment_declined' } });
    expect(failureFor('internal_server_error')).toMatchObject({
      retry: true,
      error: { code: 'processing_error' },
    });
  });

  it('declines on a reason TrueLayer adds later: the payment has failed, whatever the reason', () => {
    expect(failureFor('some_new_reason').error.code).toBe('payment_declined');
    expect(failureFor(undefined).error.code).toBe('payment_declined');
  });

  it('gives every reason a message the shopper may read, without TrueLayer’s codes', () => {
    for (const [reason, failure] of Object.entries(failureReasons)) {
      expect(failure.error.message).not.toContain(reason);
      expect(failure.error.message).toMatch(/\.$/);
    }
  });
});

describe('requestRefused', () => {
  it('names the problem’s title but not its detail', () => {
    const error = requestRefused({
      type: 'https://docs.truelayer.com/docs/error-types#invalid-parameters',
      title: 'Invalid Parameters',
      status: 400,
      trace_id: 't1',
      detail: 'user.email: Must be a valid email address.',
    });
    expect(error).toEqual({
      code: 'processing_error',
      message: 'The payment provider refused the request (Invalid Parameters). Nothing was charged.',
    });
  });
});
