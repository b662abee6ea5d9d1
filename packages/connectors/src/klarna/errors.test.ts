import { describe, expect, it } from 'vitest';
import { klarnaError, klarnaErrors, shopperOutcomes } from './errors.js';

describe('Klarna error codes', () => {
  it('map the codes Klarna documents to payin codes', () => {
    expect(klarnaError(400, 'BAD_VALUE').code).toBe('processing_error');
    expect(klarnaError(403, 'CAPTURE_NOT_ALLOWED').message).toMatch(/refused the capture/);
    expect(klarnaError(403, 'CANCEL_NOT_ALLOWED').message).toMatch(/already captured/);
    expect(klarnaError(401, 'UNAUTHORIZED').message).toMatch(/credentials/);
  });

  it('read an unlisted code by its status, never as a decline', () => {
    expect(klarnaError(401, undefined)).toEqual(klarnaErrors.UNAUTHORIZED);
    expect(klarnaError(422, 'SOMETHING_NEW')).toEqual({
      code: 'processing_error',
      message: 'Klarna refused the request (HTTP 422). Nothing was charged.',
    });
  });

  it('give shoppers messages without Klarna ids, field names or codes', () => {
    for (const error of [...Object.values(klarnaErrors), ...Object.values(shopperOutcomes)]) {
      expect(error.message).not.toMatch(/[A-Z]{3,}_[A-Z]+|order_|_id|\{/);
      expect(error.message.endsWith('.')).toBe(true);
    }
  });

  it('tell the shopper outcomes apart with the codes core knows', () => {
    expect(shopperOutcomes.canceled.code).toBe('canceled_by_shopper');
    expect(shopperOutcomes.declined.code).toBe('payment_declined');
    expect(shopperOutcomes.fraudRejected.code).toBe('payment_declined');
    expect(shopperOutcomes.authorizationExpired.code).toBe('payment_expired');
    expect(shopperOutcomes.orderExpired.code).toBe('payment_expired');
  });
});
