import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant, type TestResponse } from './harness.js';

/**
 * API.md "Transport" (limits, amounts, currencies) and the 400/413 rows of the error table:
 * every refusal is a 4xx with the error shape and `param`, never a 5xx, and writes nothing.
 */

function expectParamError(res: TestResponse, param: string | RegExp) {
  expectError(res, 400, 'invalid_request_error');
  if (typeof param === 'string') expect(res.body.error.param).toBe(param);
  else expect(res.body.error.param).toMatch(param);
}

const MAX_AMOUNT = 999_999_999_999;
const manyKeys = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Validation Shop');
});
afterAll(async () => {
  await t?.close();
});

async function list(path: string): Promise<unknown[]> {
  const res = await m.get(`${path}${path.includes('?') ? '&' : '?'}limit=100`);
  expect(res.status, res.text).toBe(200);
  return res.body.data;
}
const paymentsNow = () => list('/v1/payments');

interface Case {
  label: string;
  body: unknown;
  param: string | RegExp;
}

const base = { amount: 1000, currency: 'EUR' };

const createPaymentCases: Case[] = [
  { label: 'a string amount "1999"', body: { ...base, amount: '1999' }, param: 'amount' },
  { label: 'a non-integer amount 19.99', body: { ...base, amount: 19.99 }, param: 'amount' },
  { label: 'a zero amount', body: { ...base, amount: 0 }, param: 'amount' },
  { label: 'a negative amount', body: { ...base, amount: -100 }, param: 'amount' },
  { label: 'an amount above the maximum', body: { ...base, amount: MAX_AMOUNT + 1 }, param: 'amount' },
  { label: 'an amount beyond 2^53', body: { ...base, amount: 2 ** 60 }, param: 'amount' },
  { label: 'a boolean amount', body: { ...base, amount: true }, param: 'amount' },
  { label: 'a null amount', body: { ...base, amount: null }, param: 'amount' },
  { label: 'an object amount', body: { ...base, amount: {} }, param: 'amount' },
  { label: 'an array amount', body: { ...base, amount: [1000] }, param: 'amount' },
  { label: 'a missing amount', body: { currency: 'EUR' }, param: 'amount' },
  { label: "an unknown currency 'XXX'", body: { ...base, currency: 'XXX' }, param: 'currency' },
  { label: "a lower-case currency 'eur'", body: { ...base, currency: 'eur' }, param: 'currency' },
  { label: "a four-letter currency 'EURO'", body: { ...base, currency: 'EURO' }, param: 'currency' },
  { label: 'an empty currency', body: { ...base, currency: '' }, param: 'currency' },
  { label: 'a numeric currency', body: { ...base, currency: 978 }, param: 'currency' },
  { label: 'a null currency', body: { ...base, currency: null }, param: 'currency' },
  { label: 'a missing currency', body: { amount: 1000 }, param: 'currency' },
  { label: 'a numeric reference', body: { ...base, reference: 123 }, param: 'reference' },
  {
    label: 'a reference of 256 characters',
    body: { ...base, reference: 'r'.repeat(256) },
    param: 'reference',
  },
  { label: 'an object reference', body: { ...base, reference: {} }, param: 'reference' },
  { label: 'a numeric description', body: { ...base, description: 42 }, param: 'description' },
  {
    label: 'a description of 1001 characters',
    body: { ...base, description: 'd'.repeat(1001) },
    param: 'description',
  },
  { label: 'an array description', body: { ...base, description: ['a'] }, param: 'description' },
  {
    label: "an unknown capture_method 'later'",
    body: { ...base, capture_method: 'later' },
    param: 'capture_method',
  },
  { label: 'a boolean capture_method', body: { ...base, capture_method: true }, param: 'capture_method' },
  { label: 'a numeric customer', body: { ...base, customer: 7 }, param: 'customer' },
  { label: 'a customer of 256 characters', body: { ...base, customer: 'c'.repeat(256) }, param: 'customer' },
  { label: "a lower-case country 'fr'", body: { ...base, country: 'fr' }, param: 'country' },
  { label: "a three-letter country 'FRA'", body: { ...base, country: 'FRA' }, param: 'country' },
  { label: 'a numeric country', body: { ...base, country: 33 }, param: 'country' },
  { label: 'a numeric payment_method', body: { ...base, payment_method: 42 }, param: 'payment_method' },
  { label: 'an empty payment_method', body: { ...base, payment_method: '' }, param: 'payment_method' },
  { label: 'an object payment_method', body: { ...base, payment_method: {} }, param: 'payment_method' },
  {
    label: 'an unknown payment_method with confirm',
    body: { ...base, payment_method: 'pm_nope', confirm: true },
    param: 'payment_method',
  },
  { label: 'confirm without payment_method', body: { ...base, confirm: true }, param: 'payment_method' },
  { label: "a string confirm 'true'", body: { ...base, confirm: 'true' }, param: 'confirm' },
  { label: 'a numeric confirm', body: { ...base, confirm: 1 }, param: 'confirm' },
  { label: 'a null confirm', body: { ...base, confirm: null }, param: 'confirm' },
  {
    label: 'a return_url that is not a URL',
    body: { ...base, return_url: 'not a url' },
    param: 'return_url',
  },
  {
    label: 'a javascript: return_url',
    body: { ...base, return_url: 'javascript:alert(1)' },
    param: 'return_url',
  },
  { label: 'an ftp return_url', body: { ...base, return_url: 'ftp://example.com/x' }, param: 'return_url' },
  { label: 'a numeric return_url', body: { ...base, return_url: 5 }, param: 'return_url' },
  { label: 'a string metadata', body: { ...base, metadata: 'x' }, param: 'metadata' },
  { label: 'an array metadata', body: { ...base, metadata: ['a'] }, param: 'metadata' },
  { label: 'metadata with 51 keys', body: { ...base, metadata: manyKeys(51) }, param: 'metadata' },
  {
    label: 'a metadata key of 41 characters',
    body: { ...base, metadata: { ['k'.repeat(41)]: 'v' } },
    param: /^metadata\[k+/,
  },
  {
    label: 'a metadata value of 501 characters',
    body: { ...base, metadata: { a: 'v'.repeat(501) } },
    param: 'metadata[a]',
  },
  { label: 'a numeric metadata value', body: { ...base, metadata: { a: 1 } }, param: 'metadata[a]' },
  { label: 'a null metadata value', body: { ...base, metadata: { a: null } }, param: 'metadata[a]' },
  { label: 'an object metadata value', body: { ...base, metadata: { a: { b: 'c' } } }, param: 'metadata[a]' },
  { label: 'an unknown parameter', body: { ...base, colour: 'blue' }, param: 'colour' },
];

describe('POST /v1/payments validation', () => {
  it.each(createPaymentCases)(
    'refuses $label with 400 naming the param, and writes no payment',
    async ({ body, param }) => {
      const before = await paymentsNow();
      const res = await m.post('/v1/payments', body);
      expectParamError(res, param);
      expect(await paymentsNow()).toEqual(before);
    },
  );

  it('names the unknown parameter in the message', async () => {
    const res = await m.post('/v1/payments', { ...base, shipping_colour: 'blue' });
    expectParamError(res, 'shipping_colour');
    expect(res.body.error.message).toContain('shipping_colour');
  });

  it('accepts every field exactly at its limit', async () => {
    const metadata = Object.fromEntries(
      Array.from({ length: 50 }, (_, i) => [
        `${String(i).padStart(2, '0')}${'k'.repeat(38)}`,
        'v'.repeat(500),
      ]),
    );
    const res = await m.post('/v1/payments', {
      amount: MAX_AMOUNT,
      currency: 'JPY',
      reference: 'r'.repeat(255),
      customer: 'c'.repeat(255),
      description: 'd'.repeat(1000),
      metadata,
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ amount: MAX_AMOUNT, currency: 'JPY', metadata });
  });
});

describe('POST /v1/payments/{id}/confirm, /capture, /cancel validation', () => {
  let open: { id: string };
  let authorised: { id: string };

  beforeAll(async () => {
    open = (await m.post('/v1/payments', { amount: 1500, currency: 'EUR' })).body;
    authorised = (
      await m.post('/v1/payments', {
        amount: 1500,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        capture_method: 'manual',
        confirm: true,
      })
    ).body;
  });

  const confirmCases: Case[] = [
    { label: 'a numeric payment_method', body: { payment_method: 42 }, param: 'payment_method' },
    { label: 'an empty payment_method', body: { payment_method: '' }, param: 'payment_method' },
    { label: 'an array payment_method', body: { payment_method: ['pm_card_visa'] }, param: 'payment_method' },
    {
      label: 'a payment_method of 256 characters',
      body: { payment_method: 'p'.repeat(256) },
      param: 'payment_method',
    },
    {
      label: 'an unknown payment_method',
      body: { payment_method: 'pm_card_unknown' },
      param: 'payment_method',
    },
    {
      label: 'a return_url that is not a URL',
      body: { payment_method: 'pm_card_visa', return_url: 'nope' },
      param: 'return_url',
    },
    {
      label: 'a numeric return_url',
      body: { payment_method: 'pm_card_visa', return_url: 5 },
      param: 'return_url',
    },
    {
      label: 'an amount (not a confirm parameter)',
      body: { payment_method: 'pm_card_visa', amount: 5 },
      param: 'amount',
    },
    { label: 'no payment_method when the payment has none', body: {}, param: 'payment_method' },
  ];
  it.each(confirmCases)(
    'confirm refuses $label with 400 and leaves the payment unchanged',
    async ({ body, param }) => {
      const before = await m.get(`/v1/payments/${open.id}`);
      expectParamError(await m.post(`/v1/payments/${open.id}/confirm`, body), param);
      expect((await m.get(`/v1/payments/${open.id}`)).body).toEqual(before.body);
    },
  );

  const captureCases: Case[] = [
    { label: 'a string amount', body: { amount: '100' }, param: 'amount' },
    { label: 'a zero amount', body: { amount: 0 }, param: 'amount' },
    { label: 'a negative amount', body: { amount: -1 }, param: 'amount' },
    { label: 'a non-integer amount', body: { amount: 1.5 }, param: 'amount' },
    { label: 'a null amount', body: { amount: null }, param: 'amount' },
    { label: 'a boolean amount', body: { amount: true }, param: 'amount' },
    { label: 'a string final_capture', body: { final_capture: 'yes' }, param: 'final_capture' },
    { label: 'a numeric final_capture', body: { final_capture: 1 }, param: 'final_capture' },
    { label: 'an unknown parameter', body: { amount_to_capture: 100 }, param: 'amount_to_capture' },
  ];
  it.each(captureCases)(
    'capture refuses $label with 400 and leaves the payment unchanged',
    async ({ body, param }) => {
      const before = await m.get(`/v1/payments/${authorised.id}`);
      expectParamError(await m.post(`/v1/payments/${authorised.id}/capture`, body), param);
      const after = await m.get(`/v1/payments/${authorised.id}`);
      expect(after.body).toEqual(before.body);
      expect(after.body).toMatchObject({ status: 'requires_capture', amount_capturable: 1500 });
    },
  );

  const cancelCases: Case[] = [
    {
      label: 'an unknown cancellation_reason',
      body: { cancellation_reason: 'bored' },
      param: 'cancellation_reason',
    },
    {
      label: 'a numeric cancellation_reason',
      body: { cancellation_reason: 1 },
      param: 'cancellation_reason',
    },
    {
      label: 'a null cancellation_reason',
      body: { cancellation_reason: null },
      param: 'cancellation_reason',
    },
    { label: 'an unknown parameter', body: { reason: 'duplicate' }, param: 'reason' },
  ];
  it.each(cancelCases)(
    'cancel refuses $label with 400 and leaves the payment unchanged',
    async ({ body, param }) => {
      const before = await m.get(`/v1/payments/${authorised.id}`);
      expectParamError(await m.post(`/v1/payments/${authorised.id}/cancel`, body), param);
      expect((await m.get(`/v1/payments/${authorised.id}`)).body).toEqual(before.body);
    },
  );
});

describe('POST /v1/refunds validation', () => {
  let paid: { id: string };
  beforeAll(async () => {
    paid = (
      await m.post('/v1/payments', {
        amount: 3000,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
      })
    ).body;
  });

  const refundCases = (): Case[] => [
    { label: 'a missing payment', body: { amount: 100 }, param: 'payment' },
    { label: 'a numeric payment', body: { payment: 1 }, param: 'payment' },
    { label: 'an empty payment', body: { payment: '' }, param: 'payment' },
    { label: 'a null payment', body: { payment: null }, param: 'payment' },
    { label: 'an object payment', body: { payment: {} }, param: 'payment' },
    { label: 'a string amount', body: { payment: paid.id, amount: '100' }, param: 'amount' },
    { label: 'a zero amount', body: { payment: paid.id, amount: 0 }, param: 'amount' },
    { label: 'a negative amount', body: { payment: paid.id, amount: -1 }, param: 'amount' },
    { label: 'a non-integer amount', body: { payment: paid.id, amount: 1.5 }, param: 'amount' },
    { label: 'an unknown reason', body: { payment: paid.id, reason: 'because' }, param: 'reason' },
    { label: 'a numeric reason', body: { payment: paid.id, reason: 1 }, param: 'reason' },
    { label: 'a string metadata', body: { payment: paid.id, metadata: 'x' }, param: 'metadata' },
    {
      label: 'a numeric metadata value',
      body: { payment: paid.id, metadata: { a: 1 } },
      param: 'metadata[a]',
    },
    { label: 'metadata with 51 keys', body: { payment: paid.id, metadata: manyKeys(51) }, param: 'metadata' },
    {
      label: 'a metadata key of 41 characters',
      body: { payment: paid.id, metadata: { ['k'.repeat(41)]: 'v' } },
      param: /^metadata\[k+/,
    },
    {
      label: 'a metadata value of 501 characters',
      body: { payment: paid.id, metadata: { a: 'v'.repeat(501) } },
      param: 'metadata[a]',
    },
    { label: 'an unknown parameter', body: { payment: paid.id, charge: 'ch_1' }, param: 'charge' },
  ];
  // Built lazily: the cases need the payment created in beforeAll.
  it('refuses every wrong type and limit of each field with 400 naming the param, writing no refund', async () => {
    for (const { label, body, param } of refundCases()) {
      const refundsBefore = await list('/v1/refunds');
      const res = await m.post('/v1/refunds', body);
      expect(res.status, `${label}: ${res.text}`).toBe(400);
      expectParamError(res, param);
      expect(await list('/v1/refunds'), label).toEqual(refundsBefore);
    }
    const payment = await m.get(`/v1/payments/${paid.id}`);
    expect(payment.body).toMatchObject({ amount_refunded: 0, amount_received: 3000 });
  });
});

describe('POST /v1/webhook_endpoints validation', () => {
  const endpointCases: Case[] = [
    { label: 'a missing url', body: { enabled_events: ['*'] }, param: 'url' },
    { label: 'a numeric url', body: { url: 1, enabled_events: ['*'] }, param: 'url' },
    { label: 'a url that is not a URL', body: { url: 'not a url', enabled_events: ['*'] }, param: 'url' },
    { label: 'an ftp url', body: { url: 'ftp://hooks.example.com/x', enabled_events: ['*'] }, param: 'url' },
    { label: 'a javascript: url', body: { url: 'javascript:alert(1)', enabled_events: ['*'] }, param: 'url' },
    {
      label: 'missing enabled_events',
      body: { url: 'https://hooks.example.com/x' },
      param: 'enabled_events',
    },
    {
      label: 'a string enabled_events',
      body: { url: 'https://hooks.example.com/x', enabled_events: '*' },
      param: 'enabled_events',
    },
    {
      label: 'empty enabled_events',
      body: { url: 'https://hooks.example.com/x', enabled_events: [] },
      param: 'enabled_events',
    },
    {
      label: 'a numeric event type',
      body: { url: 'https://hooks.example.com/x', enabled_events: [1] },
      param: /^enabled_events/,
    },
    {
      label: 'an unknown event type',
      body: { url: 'https://hooks.example.com/x', enabled_events: ['payment.created', 'payment.exploded'] },
      param: 'enabled_events[1]',
    },
    {
      label: 'a numeric description',
      body: { url: 'https://hooks.example.com/x', enabled_events: ['*'], description: 1 },
      param: 'description',
    },
    {
      label: 'a description of 1001 characters',
      body: { url: 'https://hooks.example.com/x', enabled_events: ['*'], description: 'd'.repeat(1001) },
      param: 'description',
    },
    {
      label: 'an unknown parameter',
      body: { url: 'https://hooks.example.com/x', enabled_events: ['*'], secret: 'whsec_mine' },
      param: 'secret',
    },
  ];
  it.each(endpointCases)(
    'refuses $label with 400 naming the param, writing no endpoint',
    async ({ body, param }) => {
      const before = await list('/v1/webhook_endpoints');
      expectParamError(await m.post('/v1/webhook_endpoints', body), param);
      expect(await list('/v1/webhook_endpoints')).toEqual(before);
    },
  );
});

describe('text PostgreSQL cannot store', () => {
  // Valid JSON, but a NUL character or an unpaired UTF-16 surrogate cannot be stored in a text
  // or jsonb column: a bad parameter (400), not our fault (5xx).
  const bad = [
    ['a NUL character', 'order\\u0000 1'],
    ['an unpaired surrogate', 'order \\ud800 1'],
  ] as const;

  it.each(bad)(
    'refuses %s in every text field of POST /v1/payments with 400 naming the param',
    async (_label, json) => {
      const before = await paymentsNow();
      for (const field of ['reference', 'description', 'customer', 'payment_method']) {
        const res = await t.request('POST', '/v1/payments', {
          key: m.secretKey,
          rawBody: `{"amount":1000,"currency":"EUR","${field}":"${json}"}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `${field}: ${res.text}`).toBe(400);
        expectParamError(res, field);
      }
      for (const [metadata, param] of [
        [`{"note":"${json}"}`, 'metadata[note]'],
        [`{"${json}":"x"}`, /^metadata/],
      ] as const) {
        const res = await t.request('POST', '/v1/payments', {
          key: m.secretKey,
          rawBody: `{"amount":1000,"currency":"EUR","metadata":${metadata}}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, `metadata ${metadata}: ${res.text}`).toBe(400);
        expectParamError(res, param);
      }
      expect(await paymentsNow()).toEqual(before);
    },
  );

  it.each(bad)('refuses %s in refunds, webhook endpoints and confirm with 400', async (_label, json) => {
    const open = await m.post('/v1/payments', { amount: 1000, currency: 'EUR' });
    const cases: [string, string, string][] = [
      ['/v1/refunds', `{"payment":"pay_${json}"}`, 'payment'],
      ['/v1/refunds', `{"payment":"${open.body.id}","metadata":{"a":"${json}"}}`, 'metadata[a]'],
      [
        '/v1/webhook_endpoints',
        `{"url":"https://hooks.example.com/x","enabled_events":["*"],"description":"${json}"}`,
        'description',
      ],
      ['/v1/webhook_endpoints', `{"url":"https://hooks.example.com/${json}","enabled_events":["*"]}`, 'url'],
      [`/v1/payments/${open.body.id}/confirm`, `{"payment_method":"pm_${json}"}`, 'payment_method'],
    ];
    for (const [path, rawBody, param] of cases) {
      const res = await t.request('POST', path, {
        key: m.secretKey,
        rawBody,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status, `${path} ${rawBody}: ${res.text}`).toBe(400);
      expectParamError(res, param);
    }
    expect((await m.get(`/v1/payments/${open.body.id}`)).body).toEqual(open.body);
  });

  it('refuses NUL and unpaired surrogates in list filters and cursors with 400, and in ids with 400 or 404', async () => {
    for (const [path, param] of [
      ['/v1/payments?customer=a%00b', 'customer'],
      ['/v1/payments?reference=a%00', 'reference'],
      ['/v1/payments?starting_after=pay_%00', 'starting_after'],
      ['/v1/refunds?payment=pay_%00', 'payment'],
      ['/v1/events?type=payment.%00', 'type'],
      ['/v1/events?ending_before=evt_%00', 'ending_before'],
    ] as const) {
      const res = await m.get(path);
      expect(res.status, `${path}: ${res.text}`).toBe(400);
      expectParamError(res, param);
    }
    for (const path of [
      '/v1/payments/pay_%00',
      '/v1/refunds/re_%00',
      '/v1/events/evt_%00',
      '/v1/webhook_endpoints/we_%00',
    ]) {
      const res = await m.get(path);
      expect([400, 404], `${path}: ${res.text}`).toContain(res.status);
      expectError(res, res.status, 'invalid_request_error');
    }
  });
});

describe('request bodies', () => {
  const raw = (rawBody: string, contentType = 'application/json') =>
    t.request('POST', '/v1/payments', {
      key: m.secretKey,
      rawBody,
      headers: { 'content-type': contentType },
    });

  it('refuses invalid JSON with 400 invalid_request_error, writing nothing', async () => {
    const before = await paymentsNow();
    expectError(await raw('{"amount": 1000, "currency": "EUR"'), 400, 'invalid_request_error');
    expectError(await raw("{'amount': 1000}"), 400, 'invalid_request_error');
    expect(await paymentsNow()).toEqual(before);
  });

  it('refuses an empty body sent as application/json with 400', async () => {
    expectError(await raw(''), 400, 'invalid_request_error');
  });

  it('refuses a JSON array, string, number or null body with 400', async () => {
    const before = await paymentsNow();
    for (const body of ['[]', '[{"amount":1000,"currency":"EUR"}]', '"hello"', '42', 'null']) {
      const res = await raw(body);
      expectError(res, 400, 'invalid_request_error');
    }
    expect(await paymentsNow()).toEqual(before);
  });

  it('answers 413 with the error shape for a body over 1 MB', async () => {
    const before = await paymentsNow();
    const res = await m.post('/v1/payments', { ...base, description: 'x'.repeat(1024 * 1024 + 10) });
    expectError(res, 413, 'invalid_request_error');
    expect(await paymentsNow()).toEqual(before);
  });

  it('answers 400 (not 413, not 5xx) for a field of almost 1 MB in a body under the limit', async () => {
    const body = JSON.stringify({ ...base, description: 'x'.repeat(1024 * 1024 - 100) });
    expect(body.length).toBeLessThan(1024 * 1024);
    expectParamError(await raw(body), 'description');
  });

  it('answers 4xx with the error shape for deeply nested JSON, never crashing', async () => {
    const depth = 100_000;
    const bodies = [
      '['.repeat(depth) + ']'.repeat(depth),
      '['.repeat(depth),
      `{"amount":1000,"currency":"EUR","metadata":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
    ];
    for (const body of bodies) {
      const res = await raw(body);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expectError(res, res.status, 'invalid_request_error');
    }
    expect((await m.get('/v1/payments?limit=1')).status).toBe(200);
  });

  it('refuses a text/plain body with 415 or 400 and the error shape', async () => {
    const res = await raw(JSON.stringify(base), 'text/plain');
    expect([400, 415]).toContain(res.status);
    expectError(res, res.status, 'invalid_request_error');
  });

  it('refuses a form-encoded body on the JSON API with 415 or 400', async () => {
    const res = await raw('amount=1000&currency=EUR', 'application/x-www-form-urlencoded');
    expect([400, 415]).toContain(res.status);
    expectError(res, res.status, 'invalid_request_error');
  });

  it('accepts application/json with a charset parameter', async () => {
    const res = await raw(
      JSON.stringify({ ...base, reference: 'charset' }),
      'application/json; charset=utf-8',
    );
    expect(res.status, res.text).toBe(200);
  });

  it('refuses __proto__ and constructor.prototype poisoning with 400 and pollutes nothing', async () => {
    const before = await paymentsNow();
    for (const body of [
      '{"amount":1000,"currency":"EUR","__proto__":{"polluted":"yes"}}',
      '{"amount":1000,"currency":"EUR","metadata":{"__proto__":{"polluted":"yes"}}}',
      '{"amount":1000,"currency":"EUR","constructor":{"prototype":{"polluted":"yes"}}}',
    ]) {
      expectError(await raw(body), 400, 'invalid_request_error');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(await paymentsNow()).toEqual(before);
  });
});

describe('query strings and headers', () => {
  const lists = ['/v1/payments', '/v1/refunds', '/v1/events', '/v1/webhook_endpoints'];

  it.each(lists)(
    '%s refuses limit=0, limit=101, limit=abc, limit=-1 and limit=1.5 with 400 param limit',
    async (path) => {
      for (const limit of ['0', '101', 'abc', '-1', '1.5', '']) {
        const res = await m.get(`${path}?limit=${limit}`);
        expectParamError(res, 'limit');
      }
    },
  );

  it.each(lists)('%s accepts limit=1 and limit=100', async (path) => {
    expect((await m.get(`${path}?limit=1`)).status).toBe(200);
    expect((await m.get(`${path}?limit=100`)).status).toBe(200);
  });

  it('refuses an unknown status filter and an unknown query parameter with 400', async () => {
    expectParamError(await m.get('/v1/payments?status=paid'), 'status');
    expectParamError(await m.get('/v1/payments?colour=blue'), 'colour');
  });

  it('refuses an Idempotency-Key of 256 characters with 400, writing nothing', async () => {
    const before = await paymentsNow();
    const res = await m.post('/v1/payments', base, { 'idempotency-key': 'k'.repeat(256) });
    expectParamError(res, /idempotency/i);
    expect(await paymentsNow()).toEqual(before);
    const ok = await m.post('/v1/payments', base, { 'idempotency-key': 'k'.repeat(255) });
    expect(ok.status, ok.text).toBe(200);
  });

  it('refuses an empty Idempotency-Key with 400, writing nothing', async () => {
    const before = await paymentsNow();
    const res = await m.post('/v1/payments', base, { 'idempotency-key': '' });
    expectParamError(res, /idempotency/i);
    expect(await paymentsNow()).toEqual(before);
  });

  it('does not store a request refused by validation under its Idempotency-Key', async () => {
    const key = `refused-then-valid-${Date.now()}`;
    expectParamError(
      await m.post('/v1/payments', { ...base, amount: -1 }, { 'idempotency-key': key }),
      'amount',
    );
    const ok = await m.post(
      '/v1/payments',
      { ...base, reference: 'after-refusal' },
      { 'idempotency-key': key },
    );
    expect(ok.status, ok.text).toBe(200);
    expect(ok.headers.get('idempotent-replayed')).toBeNull();
    expect(ok.body).toMatchObject({ object: 'payment', reference: 'after-refusal' });
  });
});
