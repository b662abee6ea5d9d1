import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorizedToken, klarna, purchase, type RunningKlarna, startKlarna } from './klarna-harness.js';

let emulator: RunningKlarna;
let base: string;

beforeAll(async () => {
  emulator = await startKlarna();
  base = emulator.url;
});
afterAll(() => emulator.close());

const lines = (amount: number) => [
  { name: 'Item', quantity: 1, unit_price: amount, total_amount: amount, tax_rate: 0, total_tax_amount: 0 },
];

describe('Klarna Payments API', () => {
  it('refuses a call without the merchant credentials with a 401 in Klarna error shape', async () => {
    for (const auth of [null, `Basic ${Buffer.from('PK_test_payin:wrong').toString('base64')}`, 'Bearer x']) {
      const answer = await klarna(base, 'POST', '/payments/v1/sessions', purchase(), { auth });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        error_code: 'UNAUTHORIZED',
        error_messages: ['Unauthorized'],
        correlation_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
    }
  });

  it('creates a session with its id, client token and the three categories', async () => {
    const answer = await klarna(base, 'POST', '/payments/v1/sessions', purchase());
    expect(answer.status).toBe(200);
    expect(answer.body.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.body.client_token).toMatch(/^eyJ/);
    expect(answer.body.payment_method_categories.map((c: any) => c.identifier)).toEqual([
      'pay_later',
      'pay_over_time',
      'pay_now',
    ]);
    for (const category of answer.body.payment_method_categories) {
      expect(category.name).toEqual(expect.any(String));
      expect(category.asset_urls.descriptive).toBe(`${base}/klarna/hpp/assets/badge.svg`);
      expect((await fetch(category.asset_urls.standard)).headers.get('content-type')).toBe('image/svg+xml');
    }
  });

  it('offers pay_over_time only from the market financing threshold', async () => {
    const small = {
      purchase_country: 'US',
      purchase_currency: 'USD',
      locale: 'en-US',
      order_amount: 4_000,
      order_lines: lines(4_000),
    };
    const answer = await klarna(base, 'POST', '/payments/v1/sessions', small);
    expect(answer.body.payment_method_categories.map((c: any) => c.identifier)).toEqual([
      'pay_later',
      'pay_now',
    ]);
  });

  it.each([
    ['order_amount', { order_amount: 11_000 }, 'Bad value: order_amount'],
    ['order_tax_amount', { order_tax_amount: 1_000 }, 'Bad value: order_tax_amount'],
    [
      'a line total',
      {
        order_lines: [{ name: 'x', quantity: 2, unit_price: 100, total_amount: 150 }],
        order_amount: 150,
        order_tax_amount: 0,
      },
      'Bad value: order_lines[0].total_amount',
    ],
    [
      'a line tax',
      {
        order_lines: [
          {
            name: 'x',
            quantity: 1,
            unit_price: 11_900,
            tax_rate: 1_900,
            total_amount: 11_900,
            total_tax_amount: 100,
          },
        ],
        order_tax_amount: 100,
      },
      'Bad value: order_lines[0].total_tax_amount',
    ],
    ['missing lines', { order_lines: [] }, 'Bad value: order_lines'],
    [
      'Japan, not a Klarna market',
      { purchase_country: 'JP', purchase_currency: 'JPY', locale: 'ja-JP' },
      'Bad value: purchase_country',
    ],
    [
      'a country in the wrong currency',
      { purchase_country: 'US', purchase_currency: 'EUR' },
      'Bad value: purchase_currency',
    ],
    ['a locale of another market', { locale: 'sv-SE' }, 'Bad value: locale'],
  ])('answers 400 BAD_VALUE for %s', async (_name, change, message) => {
    const answer = await klarna(base, 'POST', '/payments/v1/sessions', purchase(change));
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('BAD_VALUE');
    expect(answer.body.error_messages[0]).toContain(message);
    expect(answer.body.correlation_id).toEqual(expect.any(String));
  });

  it.each([
    ['US', 'USD', 'en-US', 3_499],
    ['US', 'USD', 'en-US', 1_000_001],
    ['FR', 'EUR', 'fr-FR', 99],
  ])('refuses an amount outside the %s limits (%s %s %d)', async (country, currency, locale, amount) => {
    const body = {
      purchase_country: country,
      purchase_currency: currency,
      locale,
      order_amount: amount,
      order_lines: lines(amount),
    };
    const answer = await klarna(base, 'POST', '/payments/v1/sessions', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error_messages[0]).toContain('Bad value: order_amount');
  });

  it('accepts the ES and FR markets in EUR', async () => {
    for (const [country, locale] of [
      ['ES', 'es-ES'],
      ['FR', 'fr-FR'],
    ]) {
      const body = {
        purchase_country: country,
        purchase_currency: 'EUR',
        locale,
        order_amount: 5_000,
        order_lines: lines(5_000),
      };
      expect((await klarna(base, 'POST', '/payments/v1/sessions', body)).status).toBe(200);
    }
  });

  it('answers unparsable JSON with BAD_VALUE', async () => {
    const answer = await klarna(base, 'POST', '/payments/v1/sessions', undefined, {
      raw: '{"purchase_country":',
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('BAD_VALUE');
  });

  it('reads a session back as created, incomplete until authorized', async () => {
    const created = await klarna(
      base,
      'POST',
      '/payments/v1/sessions',
      purchase({ merchant_reference1: 'ref-1' }),
    );
    const read = await klarna(base, 'GET', `/payments/v1/sessions/${created.body.session_id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      status: 'incomplete',
      purchase_country: 'DE',
      order_amount: 11_900,
      merchant_reference1: 'ref-1',
      client_token: created.body.client_token,
    });
    expect(Date.parse(read.body.expires_at) - Date.now()).toBeGreaterThan(47 * 3600_000);
  });

  it('hides a session from another merchant', async () => {
    const created = await klarna(base, 'POST', '/payments/v1/sessions', purchase());
    const other = `Basic ${Buffer.from('PK_other_merchant:other').toString('base64')}`;
    const read = await klarna(base, 'GET', `/payments/v1/sessions/${created.body.session_id}`, undefined, {
      auth: other,
    });
    expect(read.status).toBe(404);
  });

  it('updates a session with 204 and checks the totals again', async () => {
    const { session_id } = (await klarna(base, 'POST', '/payments/v1/sessions', purchase())).body;
    const line = {
      name: 'Tasse',
      quantity: 1,
      unit_price: 4_760,
      tax_rate: 1_900,
      total_amount: 4_760,
      total_tax_amount: 760,
    };
    const updated = await klarna(base, 'POST', `/payments/v1/sessions/${session_id}`, {
      order_amount: 4_760,
      order_tax_amount: 760,
      order_lines: [line],
    });
    expect(updated.status).toBe(204);
    expect((await klarna(base, 'GET', `/payments/v1/sessions/${session_id}`)).body.order_amount).toBe(4_760);
    const wrong = await klarna(base, 'POST', `/payments/v1/sessions/${session_id}`, { order_amount: 5_000 });
    expect(wrong.status).toBe(400);
    expect((await klarna(base, 'GET', `/payments/v1/sessions/${session_id}`)).body.order_amount).toBe(4_760);
  });

  it('places an order with an authorization token, once', async () => {
    const { token, kpSessionId } = await authorizedToken(base);
    expect((await klarna(base, 'GET', `/payments/v1/sessions/${kpSessionId}`)).body).toMatchObject({
      status: 'complete',
      authorization_token: token,
    });
    const placed = await klarna(
      base,
      'POST',
      `/payments/v1/authorizations/${token}/order`,
      purchase({ merchant_reference1: 'order-7' }),
    );
    expect(placed.status).toBe(200);
    expect(placed.body).toEqual({
      order_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      redirect_url: `${base}/klarna/hpp/confirmation/${placed.body.order_id}`,
      fraud_status: 'ACCEPTED',
      authorized_payment_method: { type: 'invoice', number_of_days: 30 },
    });
    const again = await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, purchase());
    expect(again.status).toBe(404);
    expect(again.body.error_messages).toEqual(['Invalid authorization token']);
  });

  it('sends the shopper on from the order redirect_url to the merchant confirmation URL', async () => {
    const { token } = await authorizedToken(base);
    const body = purchase({
      merchant_urls: { confirmation: 'https://shop.example/thanks?order={order.id}' },
    });
    const placed = await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, body);
    const followed = await fetch(placed.body.redirect_url, { redirect: 'manual' });
    expect(followed.status).toBe(303);
    expect(followed.headers.get('location')).toBe(
      `https://shop.example/thanks?order=${placed.body.order_id}`,
    );
  });

  it('refuses an order whose amount differs from the authorized session', async () => {
    const { token } = await authorizedToken(base);
    const line = {
      name: 'Tasse',
      quantity: 1,
      unit_price: 4_760,
      tax_rate: 1_900,
      total_amount: 4_760,
      total_tax_amount: 760,
    };
    const placed = await klarna(
      base,
      'POST',
      `/payments/v1/authorizations/${token}/order`,
      purchase({ order_amount: 4_760, order_tax_amount: 760, order_lines: [line] }),
    );
    expect(placed.status).toBe(400);
    expect(placed.body.error_messages[0]).toContain('Bad value: order_amount');
  });

  it('cancels an authorization, which can then place no order', async () => {
    const { token } = await authorizedToken(base);
    expect((await klarna(base, 'DELETE', `/payments/v1/authorizations/${token}`)).status).toBe(204);
    expect(
      (await klarna(base, 'POST', `/payments/v1/authorizations/${token}/order`, purchase())).status,
    ).toBe(404);
    expect((await klarna(base, 'DELETE', `/payments/v1/authorizations/${token}`)).status).toBe(404);
  });

  it('refuses an authorization token unknown to the merchant', async () => {
    const answer = await klarna(base, 'POST', '/payments/v1/authorizations/not-a-token/order', purchase());
    expect(answer.status).toBe(404);
    expect(answer.body.error_code).toBe('NOT_FOUND');
  });
});
