import { describe, expect, it } from 'vitest';
import { errorFor, issueErrors, reasonFor } from './errors.js';

describe('errorFor', () => {
  it("reads the payer's side refusing as payment_declined", () => {
    for (const issue of [
      'INSTRUMENT_DECLINED',
      'PAYER_CANNOT_PAY',
      'TRANSACTION_REFUSED',
      'PAYER_ACCOUNT_RESTRICTED',
    ])
      expect(errorFor({ status: 422, name: 'UNPROCESSABLE_ENTITY', issue }).code).toBe('payment_declined');
  });

  it('reads an unapproved order as the shopper not paying, an expired one as expired', () => {
    expect(errorFor({ status: 422, issue: 'ORDER_NOT_APPROVED' }).code).toBe('canceled_by_shopper');
    expect(errorFor({ status: 422, issue: 'ORDER_EXPIRED' }).code).toBe('payment_expired');
    expect(errorFor({ status: 422, issue: 'AUTHORIZATION_EXPIRED' }).code).toBe('payment_expired');
  });

  it("reads the merchant's account, the credentials and unknown issues as processing errors", () => {
    expect(errorFor({ status: 422, issue: 'PAYEE_ACCOUNT_RESTRICTED' }).code).toBe('processing_error');
    expect(errorFor({ status: 401, name: 'AUTHENTICATION_FAILURE' })).toEqual({
      code: 'processing_error',
      message: expect.stringContaining('credentials'),
    });
    expect(errorFor({ status: 422, issue: 'SOMETHING_NEW' })).toEqual({
      code: 'processing_error',
      message: 'PayPal refused the request (SOMETHING_NEW). Nothing was charged.',
    });
    expect(errorFor({ status: 400 }).message).toContain('HTTP 400');
  });

  it("never shows the shopper PayPal's debug id", () => {
    const error = errorFor({ status: 422, issue: 'INSTRUMENT_DECLINED', debugId: 'f0e1d2c3b4a59' });
    expect(error.message).not.toContain('f0e1d2c3b4a59');
    for (const known of Object.values(issueErrors)) expect(known.message).toMatch(/\.$/);
  });
});

describe('reasonFor', () => {
  it("gives the merchant PayPal's issue and description", () => {
    expect(
      reasonFor({
        status: 422,
        name: 'UNPROCESSABLE_ENTITY',
        issue: 'AUTHORIZATION_VOIDED',
        description: 'A voided authorization cannot be captured or reauthorized.',
      }),
    ).toBe('AUTHORIZATION_VOIDED: A voided authorization cannot be captured or reauthorized.');
    expect(reasonFor({ status: 404, name: 'RESOURCE_NOT_FOUND' })).toBe('RESOURCE_NOT_FOUND');
  });
});
