import type { AuthorizeRequest } from '@payin/core';
import type { Payment } from '@payin/provider-wire/truelayer';
import { describe, expect, it } from 'vitest';
import {
  hostedPaymentPageUrl,
  METADATA,
  paymentOutcome,
  paymentRequest,
  REFUND_REFERENCE_MAX,
  refundReference,
  refundRequest,
} from './transformers.js';

const request: AuthorizeRequest = {
  attemptId: 'att_123',
  paymentId: 'pay_123',
  merchantId: 'mer_123',
  idempotencyKey: 'att_123',
  amount: 4990,
  currency: 'eur',
  capture: true,
  paymentMethod: 'open_banking',
  paymentMethodType: 'open_banking',
  billingDetails: { name: ' Jeanne Martin ', email: 'jeanne@example.fr', phone: '06 12 34 56 78' },
  providerReturnUrl: 'https://api.example/v1/return/att_123',
  country: 'fr',
  reference: 'order-1',
  locale: 'fr-FR',
  livemode: false,
};

const payment = (extra: Partial<Payment>): Payment => ({
  id: 'tl-pay-1',
  amount_in_minor: 4990,
  currency: 'EUR',
  user: { id: 'u1' },
  payment_method: {
    type: 'bank_transfer',
    provider_selection: { type: 'user_selected' },
    beneficiary: { type: 'merchant_account', merchant_account_id: 'ma' },
  },
  created_at: '2026-01-01T00:00:00Z',
  status: 'authorization_required',
  ...extra,
});

describe('paymentRequest', () => {
  it('asks for a bank transfer into the merchant account, the shopper choosing a bank of the payment’s country', () => {
    expect(paymentRequest(request, { merchantAccountId: 'ma-eur' })).toEqual({
      amount_in_minor: 4990,
      currency: 'EUR',
      payment_method: {
        type: 'bank_transfer',
        provider_selection: { type: 'user_selected', filter: { countries: ['FR'] } },
        beneficiary: { type: 'merchant_account', merchant_account_id: 'ma-eur', reference: 'pay_123' },
      },
      user: { name: 'Jeanne Martin', email: 'jeanne@example.fr' },
      metadata: {
        [METADATA.attempt]: 'att_123',
        [METADATA.payment]: 'pay_123',
        [METADATA.reference]: 'order-1',
      },
    });
  });

  it('leaves the phone out: TrueLayer refuses one not in E.164, and the e-mail suffices', () => {
    expect(paymentRequest(request, { merchantAccountId: 'ma' })?.user).not.toHaveProperty('phone');
  });

  it('offers every country’s banks when the payment has no country', () => {
    const body = paymentRequest({ ...request, country: null }, { merchantAccountId: 'ma' });
    expect(body?.payment_method.provider_selection).toEqual({ type: 'user_selected' });
  });

  it('sends nothing without the payer’s name or e-mail', () => {
    expect(
      paymentRequest({ ...request, billingDetails: { email: 'a@b.fr' } }, { merchantAccountId: 'ma' }),
    ).toBe(undefined);
    expect(
      paymentRequest({ ...request, billingDetails: { name: 'A', email: ' ' } }, { merchantAccountId: 'ma' }),
    ).toBe(undefined);
    expect(paymentRequest({ ...request, billingDetails: null }, { merchantAccountId: 'ma' })).toBe(undefined);
  });

  it('keeps a long merchant reference within TrueLayer’s 500 characters a metadata value', () => {
    const body = paymentRequest({ ...request, reference: 'x'.repeat(600) }, { merchantAccountId: 'ma' });
    expect(body?.metadata?.[METADATA.reference]).toHaveLength(500);
  });
});

describe('hostedPaymentPageUrl', () => {
  it('names the payment, its resource token, the return URI and the language as query parameters', () => {
    const url = new URL(
      hostedPaymentPageUrl(
        'https://payment.truelayer-sandbox.com',
        { id: 'tl-pay-1', resource_token: 'tok/+=' },
        'https://api.example/v1/return/att_123',
        'fr-FR',
      ),
    );
    expect(`${url.origin}${url.pathname}`).toBe('https://payment.truelayer-sandbox.com/payments');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      payment_id: 'tl-pay-1',
      resource_token: 'tok/+=',
      return_uri: 'https://api.example/v1/return/att_123',
      locale: 'fr-FR',
    });
  });
});

describe('paymentOutcome', () => {
  it('reads an executed or settled payment as captured', () => {
    for (const status of ['executed', 'settled'] as const) {
      expect(paymentOutcome(payment({ status }))).toEqual({
        status: 'captured',
        providerReference: 'tl-pay-1',
        paymentMethodDetails: { type: 'open_banking' },
      });
    }
  });

  it('reads a payment at the bank as processing', () => {
    for (const status of ['authorizing', 'authorized'] as const) {
      expect(paymentOutcome(payment({ status }))).toEqual({
        status: 'processing',
        providerReference: 'tl-pay-1',
      });
    }
  });

  it('reads a failed payment with its failure reason in payin’s codes', () => {
    const failed = (failure_reason: Payment['failure_reason']) =>
      paymentOutcome(payment({ status: 'failed', failure_stage: 'authorizing', failure_reason }));
    expect(failed('canceled')).toMatchObject({ status: 'failed', error: { code: 'canceled_by_shopper' } });
    expect(failed('expired')).toMatchObject({ status: 'failed', error: { code: 'payment_expired' } });
    expect(failed('rejected')).toMatchObject({ status: 'failed', error: { code: 'payment_declined' } });
    expect(failed('authorization_failed')).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined' },
    });
  });

  it('leaves a payment still waiting for the shopper to the caller', () => {
    expect(paymentOutcome(payment({ status: 'authorization_required' }))).toBe('awaiting_shopper');
  });

  it('never guesses a status TrueLayer adds later', () => {
    const later = payment({ status: 'attempt_failed' as Payment['status'] });
    expect(paymentOutcome(later)).toMatchObject({ status: 'unknown', providerReference: 'tl-pay-1' });
  });
});

describe('refundRequest', () => {
  it('carries payin’s refund id in metadata and a statement reference within 18 characters', () => {
    const body = refundRequest({ amount: 500, refundId: 're_AbCdEfGhIjKlMnOpQrStUvWx' });
    expect(body).toEqual({
      amount_in_minor: 500,
      reference: 'AbCdEfGhIjKlMnOpQr',
      metadata: { [METADATA.refund]: 're_AbCdEfGhIjKlMnOpQrStUvWx' },
    });
    expect(body.reference.length).toBeLessThanOrEqual(REFUND_REFERENCE_MAX);
  });

  it('keeps only characters bank references take, and never sends an empty reference', () => {
    expect(refundReference('re_a_b.c/d')).toBe('abcd');
    expect(refundReference('re_')).toBe('REFUND');
  });
});
