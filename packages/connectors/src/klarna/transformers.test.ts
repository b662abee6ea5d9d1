import type { AuthorizeRequest } from '@payin/core';
import type { SessionReadResponse } from '@payin/provider-wire/klarna';
import { describe, expect, it } from 'vitest';
import {
  billingAddress,
  CAPTURE_ON_ACCEPTANCE,
  capturesOnAcceptance,
  hppSessionRequest,
  orderRequest,
  purchaseCountry,
  returnUrls,
  sessionRequest,
} from './transformers.js';

const request: AuthorizeRequest = {
  attemptId: 'att_1',
  paymentId: 'pay_1',
  merchantId: 'mer_1',
  idempotencyKey: 'att_1',
  amount: 1_999,
  currency: 'eur',
  capture: false,
  paymentMethod: 'klarna',
  paymentMethodType: 'klarna',
  providerReturnUrl: 'https://api.payin.example/v1/return/att_1',
  country: 'fr',
  reference: 'order-1',
  description: 'Une tasse',
  locale: 'fr-FR',
  livemode: false,
};

describe('Klarna KP session request', () => {
  it('asks for the amount in minor units with one line that adds up to it, tax included at 0', () => {
    for (const amount of [100, 1_999, 1_000_000, 12_345_678]) {
      const body = sessionRequest({ ...request, amount }, 'FR');
      expect(body.order_amount).toBe(amount);
      expect(body.order_tax_amount).toBe(0);
      expect(body.order_lines.reduce((sum, l) => sum + l.total_amount, 0)).toBe(amount);
      expect(body.order_lines.reduce((sum, l) => sum + (l.total_tax_amount ?? 0), 0)).toBe(0);
      for (const line of body.order_lines) {
        expect(Number.isInteger(line.total_amount)).toBe(true);
        expect(line.total_amount).toBe(line.quantity * line.unit_price - (line.total_discount_amount ?? 0));
      }
    }
  });

  it('names the market, the shopper language and payin ids, and where to notify', () => {
    const body = sessionRequest(request, 'FR', {
      webhookUrl: 'https://api.payin.example/webhooks/klarna/ca_1',
    });
    expect(body).toMatchObject({
      purchase_country: 'FR',
      purchase_currency: 'EUR',
      locale: 'fr-FR',
      merchant_reference1: 'att_1',
      merchant_reference2: 'pay_1',
      merchant_urls: { notification: 'https://api.payin.example/webhooks/klarna/ca_1' },
    });
    expect(body.order_lines[0]).toMatchObject({ name: 'Une tasse', reference: 'order-1', quantity: 1 });
    expect(body).not.toHaveProperty('billing_address');
    expect(sessionRequest(request, 'FR')).not.toHaveProperty('merchant_urls');
  });

  it('names the line after the reference, else "Order", and marks it when the attempt captures', () => {
    expect(sessionRequest({ ...request, description: null }, 'FR').order_lines[0]?.name).toBe('order-1');
    expect(
      sessionRequest({ ...request, description: null, reference: null }, 'FR').order_lines[0]?.name,
    ).toBe('Order');
    expect(
      sessionRequest({ ...request, description: 'x'.repeat(400) }, 'FR').order_lines[0]?.name,
    ).toHaveLength(255);
    expect(sessionRequest(request, 'FR').order_lines[0]).not.toHaveProperty('merchant_data');
    const captured = sessionRequest({ ...request, capture: true }, 'FR');
    expect(captured.order_lines[0]?.merchant_data).toBe(CAPTURE_ON_ACCEPTANCE);
    expect(capturesOnAcceptance(captured)).toBe(true);
    expect(capturesOnAcceptance(sessionRequest(request, 'FR'))).toBe(false);
  });

  it('takes the country from the payment, else from the billing address', () => {
    expect(purchaseCountry(request)).toBe('FR');
    expect(
      purchaseCountry({ ...request, country: null, billingDetails: { address: { country: 'de' } } }),
    ).toBe('DE');
    expect(purchaseCountry({ ...request, country: null })).toBeUndefined();
  });
});

describe('Klarna billing address', () => {
  it('maps e-mail, name in two parts, phone and the postal address', () => {
    expect(
      billingAddress({
        name: 'Jean Pierre Dupont',
        email: 'jean@example.com',
        phone: '+33612345678',
        address: {
          line1: '1 rue de la Paix',
          line2: 'Bât. B',
          postal_code: '75002',
          city: 'Paris',
          state: 'IDF',
          country: 'fr',
        },
      }),
    ).toEqual({
      given_name: 'Jean Pierre',
      family_name: 'Dupont',
      email: 'jean@example.com',
      phone: '+33612345678',
      street_address: '1 rue de la Paix',
      street_address2: 'Bât. B',
      postal_code: '75002',
      city: 'Paris',
      region: 'IDF',
      country: 'FR',
    });
  });

  it('keeps a single name as the given name, and gives nothing for no details', () => {
    expect(billingAddress({ name: 'Cher' })).toEqual({ given_name: 'Cher' });
    expect(billingAddress({})).toBeUndefined();
    expect(billingAddress(null)).toBeUndefined();
    expect(
      sessionRequest({ ...request, billingDetails: { email: 'a@example.com' } }, 'FR').billing_address,
    ).toEqual({
      email: 'a@example.com',
    });
  });
});

describe('Klarna hosted page request', () => {
  it('returns to payin with each outcome, and the token placeholder unescaped for Klarna to fill', () => {
    const urls = returnUrls('https://api.payin.example/v1/return/att_1');
    expect(urls).toEqual({
      success:
        'https://api.payin.example/v1/return/att_1?outcome=success&authorization_token={{authorization_token}}',
      cancel: 'https://api.payin.example/v1/return/att_1?outcome=cancel',
      back: 'https://api.payin.example/v1/return/att_1?outcome=back',
      failure: 'https://api.payin.example/v1/return/att_1?outcome=failure',
      error: 'https://api.payin.example/v1/return/att_1?outcome=error',
    });
    expect(returnUrls('https://x.example/r?a=1').cancel).toBe('https://x.example/r?a=1&outcome=cancel');
  });

  it('points at the KP session on the account endpoint and leaves the order to payin', () => {
    expect(
      hppSessionRequest('https://api.playground.klarna.com', 'sess-1', request.providerReturnUrl),
    ).toMatchObject({
      payment_session_url: 'https://api.playground.klarna.com/payments/v1/sessions/sess-1',
      options: { place_order_mode: 'NONE' },
    });
  });
});

describe('Klarna order request', () => {
  const session = {
    ...sessionRequest({ ...request, billingDetails: { email: 'a@example.com' } }, 'FR', {
      webhookUrl: 'https://h.example/w',
    }),
    client_token: 'jwt',
    expires_at: '2030-01-01T00:00:00Z',
    status: 'complete',
    authorization_token: 'tok',
    payment_method_categories: [],
  } satisfies SessionReadResponse;

  it('repeats the authorized purchase and asks auto_capture for an attempt that captures', () => {
    const body = orderRequest(session, true);
    expect(body).toMatchObject({
      purchase_country: 'FR',
      purchase_currency: 'EUR',
      order_amount: 1_999,
      order_tax_amount: 0,
      order_lines: session.order_lines,
      billing_address: { email: 'a@example.com' },
      merchant_reference1: 'att_1',
      merchant_reference2: 'pay_1',
      merchant_urls: { notification: 'https://h.example/w' },
      auto_capture: true,
    });
    expect(body).not.toHaveProperty('client_token');
    expect(body).not.toHaveProperty('authorization_token');
    expect(orderRequest(session, false).auto_capture).toBe(false);
  });

  it('is the same request every time, so that a retry under its key is recognised', () => {
    const reordered = Object.fromEntries(Object.entries(session).reverse()) as typeof session;
    expect(JSON.stringify(orderRequest(reordered, true))).toBe(JSON.stringify(orderRequest(session, true)));
  });
});
