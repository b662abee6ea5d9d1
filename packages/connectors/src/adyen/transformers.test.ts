import type { AuthorizeRequest } from '@payin/core';
import { schemaErrors } from '@payin/provider-wire/adyen/conformance';
import { describe, expect, it } from 'vitest';
import { authorizationOutcome, paymentRequest } from './transformers.js';

const request: AuthorizeRequest = {
  attemptId: 'att_123',
  paymentId: 'pay_123',
  merchantId: 'mer_123',
  idempotencyKey: 'att_123',
  amount: 1999,
  currency: 'EUR',
  capture: true,
  paymentMethodType: 'card',
  locale: 'en-US',
  paymentMethod: 'tok_abc',
  card: { brand: 'visa', last4: '1111' },
  providerReturnUrl: 'https://api.example/return/att_123',
  country: 'FR',
  reference: 'order-1',
  livemode: false,
};
const account = { merchantAccount: 'PayinMarketplaceECOM' };

describe('Adyen /payments request', () => {
  it('is a valid PaymentRequest of the official description, with card placeholders only', () => {
    const body = paymentRequest(request, account, { cvc: true });
    expect(schemaErrors('PaymentRequest', body)).toEqual([]);
    expect(body.paymentMethod).toEqual({
      type: 'scheme',
      number: '{{tok_abc.number}}',
      expiryMonth: '{{tok_abc.exp_month}}',
      expiryYear: '{{tok_abc.exp_year}}',
      cvc: '{{tok_abc.cvc?}}',
      holderName: '{{tok_abc.holder_name?}}',
    });
    expect(body).toMatchObject({
      reference: 'att_123',
      amount: { value: 1999, currency: 'EUR' },
      countryCode: 'FR',
    });
    expect(JSON.stringify(body)).not.toMatch(/\d{12,}/);
  });

  it('asks for manual capture when the payment captures later, and no CVC when told to leave it out', () => {
    const body = paymentRequest({ ...request, capture: false }, account, { cvc: false });
    expect(schemaErrors('PaymentRequest', body)).toEqual([]);
    expect(body.additionalData).toEqual({ manualCapture: 'true' });
    expect(body.paymentMethod).not.toHaveProperty('cvc');
  });
});

describe('Adyen /payments answer', () => {
  it('reads Authorised as captured or authorised, with the pspReference', () => {
    const res = { resultCode: 'Authorised', pspReference: 'QFQTPCQ8HXSKGK82' } as const;
    expect(authorizationOutcome(res, true)).toEqual({
      status: 'captured',
      providerReference: 'QFQTPCQ8HXSKGK82',
    });
    expect(authorizationOutcome(res, false)).toEqual({
      status: 'authorized',
      providerReference: 'QFQTPCQ8HXSKGK82',
    });
  });

  it('reads a refusal through the refusal-reason table', () => {
    const outcome = authorizationOutcome(
      {
        resultCode: 'Refused',
        pspReference: 'P1',
        refusalReason: 'Not enough balance',
        refusalReasonCode: '12',
      },
      true,
    );
    expect(outcome).toMatchObject({
      status: 'failed',
      providerReference: 'P1',
      error: { code: 'card_declined', declineCode: 'insufficient_funds' },
    });
  });

  it('turns a redirect for 3-D Secure into next_action', () => {
    const outcome = authorizationOutcome(
      {
        resultCode: 'RedirectShopper',
        pspReference: 'P2',
        action: {
          type: 'redirect',
          method: 'GET',
          url: 'https://issuer.example/3ds?x=1',
          paymentMethodType: 'scheme',
        },
      },
      true,
    );
    expect(outcome).toEqual({
      status: 'requires_action',
      providerReference: 'P2',
      action: { type: 'redirect_to_url', url: 'https://issuer.example/3ds?x=1' },
    });
  });

  it('reads Received and Pending as taken, the outcome to come (with a reference to match it by)', () => {
    for (const resultCode of ['Received', 'Pending'] as const) {
      expect(authorizationOutcome({ resultCode, pspReference: 'P3' }, true)).toEqual({
        status: 'processing',
        providerReference: 'P3',
      });
      expect(authorizationOutcome({ resultCode }, true).status).toBe('unknown');
    }
  });

  it('never concludes from a code it does not act on or a missing reference', () => {
    expect(authorizationOutcome({ resultCode: 'PresentToShopper', pspReference: 'P3' }, true).status).toBe(
      'unknown',
    );
    expect(authorizationOutcome({ resultCode: 'Authorised' }, true).status).toBe('unknown');
    expect(authorizationOutcome({ resultCode: 'RedirectShopper', pspReference: 'P4' }, true).status).toBe(
      'unknown',
    );
  });
});
