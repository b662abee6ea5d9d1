import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * Market rules kept in a file (PAYIN_PAYMENT_METHOD_RULES): changing an offer is an edit of
 * data, and the api lists and accepts methods by the file, not by the built-in table.
 */
const SHOP = 'https://shop.example';
const rules = [
  { type: 'card', countries: ['FR'], currencies: '*', brands: ['cartes_bancaires', 'visa'] },
  { type: 'card', countries: '*', currencies: '*', brands: ['visa', 'mastercard'] },
  // Konbini capped at 10,000 JPY, where the built-in table goes to 299,999; no Bizum at all.
  { type: 'konbini', countries: ['JP'], currencies: ['JPY'], limits: { JPY: { min: 100, max: 10_000 } } },
];
let dir: string;
let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'payin-rules-'));
  writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
  t = await startTestApi({ PAYIN_PAYMENT_METHOD_RULES: join(dir, 'rules.json') });
  m = await t.merchant('Rules Shop');
  await m.post('/v1/allowed_origins', { origin: SHOP });
});
afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

const checkoutMethods = async (payment: Record<string, unknown>) => {
  const created = await m.post('/v1/payments', payment);
  expect(created.status, created.text).toBe(200);
  const { id, client_secret } = created.body;
  const view = await t.request(
    'GET',
    `/v1/checkout/payments/${id}?client_secret=${encodeURIComponent(client_secret)}`,
    {
      key: m.publishableKey,
      headers: { origin: SHOP },
    },
  );
  expect(view.status, view.text).toBe(200);
  return view.body.payment_methods;
};

const konbini = (amount: number) => ({
  amount,
  currency: 'JPY',
  country: 'JP',
  confirm: true,
  payment_method_data: {
    type: 'konbini',
    billing_details: { name: 'Yamada Taro', email: 'taro@example.jp', phone: '+81 90 1234 5678' },
  },
});

describe('market rules from a file', () => {
  it("lists each market's methods as the file says", async () => {
    expect(await checkoutMethods({ amount: 4_990, currency: 'EUR', country: 'FR' })).toEqual([
      { type: 'card', brands: ['cartes_bancaires', 'visa'] },
    ]);
    expect(await checkoutMethods({ amount: 12_800, currency: 'JPY', country: 'JP' })).toEqual([
      { type: 'card', brands: ['visa', 'mastercard'] },
    ]);
  });

  it('refuses what the file does not offer before anything is written, and lets through what it does', async () => {
    const before = (await m.get('/v1/payments?limit=100')).body.data.length;
    const bizum = await m.post('/v1/payments', {
      amount: 5_000,
      currency: 'EUR',
      country: 'ES',
      confirm: true,
      payment_method: 'bizum',
    });
    expectError(bizum, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    expect(bizum.body.error.message).toContain('not offered for this payment');

    const overTheCap = await m.post('/v1/payments', konbini(20_000));
    expectError(overTheCap, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    expect(overTheCap.body.error.message).toContain('not offered for this payment');
    expect((await m.get('/v1/payments?limit=100')).body.data.length).toBe(before);

    // Within the file's limits the rule passes; this merchant has no konbini account, which is
    // the next thing said.
    const withinTheCap = await m.post('/v1/payments', konbini(5_000));
    expectError(withinTheCap, 400, 'invalid_request_error', { code: 'payment_method_unavailable' });
    expect(withinTheCap.body.error.message).toContain('not set up for this merchant');
  });

  it('stops the start on a file that is wrong, saying where', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ type: 'klarna', countries: ['fr'], currencies: ['EUR'] }]));
    expect(() => loadConfig({ PAYIN_PAYMENT_METHOD_RULES: bad })).toThrow(
      /PAYIN_PAYMENT_METHOD_RULES: .*bad\.json: market rules: rule 0: countries must be/,
    );
    writeFileSync(bad, '[{"type": "card",');
    expect(() => loadConfig({ PAYIN_PAYMENT_METHOD_RULES: bad })).toThrow(/bad\.json: .*JSON/);
    expect(() => loadConfig({ PAYIN_PAYMENT_METHOD_RULES: join(dir, 'missing.json') })).toThrow(
      /missing\.json: ENOENT/,
    );
  });
});
