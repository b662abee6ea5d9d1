import type { AuthorizeRequest } from '@payin/core';
import type { Order } from '@payin/provider-wire/paypal';
import { requestErrors } from '@payin/provider-wire/paypal/conformance';
import { describe, expect, it } from 'vitest';
import {
  captureToRefund,
  completedOutcome,
  minorOf,
  orderRequest,
  orderStatus,
  paypalMoney,
} from './transformers.js';

const request: AuthorizeRequest = {
  attemptId: 'att_123',
  paymentId: 'pay_123',
  merchantId: 'mer_1',
  idempotencyKey: 'att_123',
  amount: 4990,
  currency: 'EUR',
  capture: true,
  paymentMethod: 'paypal',
  paymentMethodType: 'paypal',
  providerReturnUrl: 'https://payin.example/v1/payment_attempts/att_123/return',
  description: 'Two mugs',
  locale: 'fr-FR',
  livemode: false,
};

describe('paypalMoney', () => {
  it("writes payin's minor units as PayPal's decimal strings, exactly", () => {
    expect(paypalMoney(4990, 'EUR')).toEqual({ currency_code: 'EUR', value: '49.90' });
    expect(paypalMoney(5, 'USD')).toEqual({ currency_code: 'USD', value: '0.05' });
    expect(paypalMoney(999_999_999_999, 'USD')?.value).toBe('9999999999.99');
    expect(paypalMoney(1200, 'JPY')).toEqual({ currency_code: 'JPY', value: '1200' });
  });

  it('drops the minor unit of currencies PayPal takes without decimals, and refuses what it cannot express', () => {
    expect(paypalMoney(1000, 'HUF')).toEqual({ currency_code: 'HUF', value: '10' });
    expect(paypalMoney(1050, 'HUF')).toBeUndefined();
    expect(paypalMoney(300, 'TWD')).toEqual({ currency_code: 'TWD', value: '3' });
  });

  it('refuses currencies PayPal does not take', () => {
    expect(paypalMoney(1000, 'KWD')).toBeUndefined();
    expect(paypalMoney(1000, 'XXX')).toBeUndefined();
    expect(paypalMoney(10.5, 'EUR')).toBeUndefined();
  });

  it('reads amounts back in minor units', () => {
    expect(minorOf({ currency_code: 'EUR', value: '49.90' })).toBe(4990);
    expect(minorOf({ currency_code: 'EUR', value: '49.9' })).toBe(4990);
    expect(minorOf({ currency_code: 'JPY', value: '1200' })).toBe(1200);
    expect(minorOf({ currency_code: 'HUF', value: '10' })).toBe(1000);
    expect(minorOf({ currency_code: 'JPY', value: '12.5' })).toBeUndefined();
    expect(minorOf({ currency_code: 'EUR', value: '-1.00' })).toBeUndefined();
  });
});

describe('orderRequest', () => {
  it("makes a PayPal wallet order naming payin's attempt and payment, valid for the Orders API", () => {
    const body = orderRequest({
      ...request,
      billingDetails: { name: 'Jeanne Marie Dupont', email: 'jeanne@example.com' },
    });
    expect(body).toEqual({
      intent: 'CAPTURE',
      purchase_units: [
        {
          reference_id: 'pay_123',
          custom_id: 'att_123',
          invoice_id: 'att_123',
          amount: { currency_code: 'EUR', value: '49.90' },
          description: 'Two mugs',
        },
      ],
      payment_source: {
        paypal: {
          email_address: 'jeanne@example.com',
          name: { given_name: 'Jeanne Marie', surname: 'Dupont' },
          experience_context: {
            return_url: 'https://payin.example/v1/payment_attempts/att_123/return',
            cancel_url: 'https://payin.example/v1/payment_attempts/att_123/return?outcome=cancel',
            locale: 'fr-FR',
            user_action: 'PAY_NOW',
            shipping_preference: 'NO_SHIPPING',
          },
        },
      },
    });
    expect(requestErrors('orders', 'post', '/v2/checkout/orders', body)).toEqual([]);
  });

  it('asks for an authorization when payin captures later', () => {
    const body = orderRequest({ ...request, capture: false });
    expect(body?.intent).toBe('AUTHORIZE');
    expect(requestErrors('orders', 'post', '/v2/checkout/orders', body)).toEqual([]);
  });

  it('leaves out what PayPal would refuse: a locale not of its form, empty details; clips the description', () => {
    const body = orderRequest({
      ...request,
      locale: 'en_US',
      description: 'x'.repeat(200),
      billingDetails: { name: '  ', email: '' },
    });
    const paypal = body?.payment_source?.paypal;
    expect(paypal?.experience_context).not.toHaveProperty('locale');
    expect(paypal).not.toHaveProperty('name');
    expect(paypal).not.toHaveProperty('email_address');
    expect(body?.purchase_units[0]?.description).toHaveLength(127);
    expect(requestErrors('orders', 'post', '/v2/checkout/orders', body)).toEqual([]);
    expect(
      orderRequest({ ...request, billingDetails: { name: 'Cher' } })?.payment_source?.paypal?.name,
    ).toEqual({
      given_name: 'Cher',
    });
  });

  it('makes no order for an amount PayPal cannot take', () => {
    expect(orderRequest({ ...request, currency: 'HUF', amount: 1050 })).toBeUndefined();
    expect(orderRequest({ ...request, currency: 'KWD' })).toBeUndefined();
    expect(orderRequest({ ...request, amount: 0 })).toBeUndefined();
  });
});

const order = (status: string, payments: Record<string, unknown> = {}): Order =>
  ({ id: 'ORDER1', status, purchase_units: [{ payments }] }) as Order;

describe('completedOutcome and orderStatus', () => {
  it('reads the capture of a captured order', () => {
    expect(
      completedOutcome(order('COMPLETED', { captures: [{ id: 'C', status: 'COMPLETED' }] }), true),
    ).toMatchObject({
      status: 'captured',
      providerReference: 'ORDER1',
    });
    expect(
      completedOutcome(order('COMPLETED', { captures: [{ id: 'C', status: 'REFUNDED' }] }), true).status,
    ).toBe('captured');
    expect(
      completedOutcome(order('COMPLETED', { captures: [{ id: 'C', status: 'PENDING' }] }), true),
    ).toEqual({
      status: 'processing',
      providerReference: 'ORDER1',
    });
    expect(
      completedOutcome(order('COMPLETED', { captures: [{ id: 'C', status: 'DECLINED' }] }), true),
    ).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined' },
    });
  });

  it('reads the authorization of an authorized order', () => {
    const auth = (status: string) => order('COMPLETED', { authorizations: [{ id: 'A', status }] });
    expect(completedOutcome(auth('CREATED'), false).status).toBe('authorized');
    expect(completedOutcome(auth('PARTIALLY_CAPTURED'), false).status).toBe('authorized');
    expect(completedOutcome(auth('PENDING'), false).status).toBe('processing');
    expect(completedOutcome(auth('DENIED'), false)).toMatchObject({
      status: 'failed',
      error: { code: 'payment_declined' },
    });
    expect(completedOutcome(auth('VOIDED'), false)).toMatchObject({
      status: 'failed',
      error: { code: 'payment_expired' },
    });
  });

  it('never reads a missing or unexpected status as a result', () => {
    expect(completedOutcome(order('COMPLETED'), true).status).toBe('unknown');
    expect(
      completedOutcome(order('COMPLETED', { captures: [{ id: 'C', status: 'SOMETHING_NEW' }] }), true).status,
    ).toBe('unknown');
    // A capture status on an order payin meant to authorize is not an authorization.
    expect(
      completedOutcome(order('COMPLETED', { authorizations: [{ id: 'A', status: 'COMPLETED' }] }), false)
        .status,
    ).toBe('unknown');
    expect(orderStatus(order('SOMETHING_NEW'), true).status).toBe('unknown');
  });

  it('reads orders not paid yet as pending, and voided ones as expired', () => {
    for (const status of ['CREATED', 'PAYER_ACTION_REQUIRED', 'APPROVED', 'SAVED'])
      expect(orderStatus(order(status), true)).toEqual({ status: 'pending' });
    expect(orderStatus(order('VOIDED'), true)).toMatchObject({
      status: 'failed',
      error: { code: 'payment_expired' },
    });
  });
});

describe('captureToRefund', () => {
  const captures = (...list: [string, string, string][]) =>
    order('COMPLETED', {
      captures: list.map(([id, status, value]) => ({ id, status, amount: { currency_code: 'EUR', value } })),
    });

  it('picks the oldest settled capture that covers the refund, whatever was refunded of it since', () => {
    const o = captures(['A', 'REFUNDED', '6.00'], ['B', 'COMPLETED', '4.00']);
    expect(captureToRefund(o, 600)).toEqual({ id: 'A' });
    expect(captureToRefund(o, 400)).toEqual({ id: 'A' });
    expect(captureToRefund(o, 700)).toBeUndefined();
  });

  it('skips captures that never took money', () => {
    const o = captures(
      ['A', 'PENDING', '6.00'],
      ['B', 'DECLINED', '6.00'],
      ['C', 'PARTIALLY_REFUNDED', '6.00'],
    );
    expect(captureToRefund(o, 100)).toEqual({ id: 'C' });
    expect(captureToRefund(order('COMPLETED'), 100)).toBeUndefined();
  });
});
