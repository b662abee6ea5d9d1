import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** API.md "Transport" (auth) and the 401 row of the error table. */

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Auth Shop');
});
afterAll(async () => {
  await t?.close();
});

describe('merchant authentication', () => {
  it('answers 401 authentication_error when no key is sent', async () => {
    const res = await t.request('GET', '/v1/payments');
    expectError(res, 401, 'authentication_error');
    const post = await t.request('POST', '/v1/payments', { body: { amount: 1000, currency: 'EUR' } });
    expectError(post, 401, 'authentication_error');
  });

  it('answers 401 for a well-formed but unknown secret key', async () => {
    const res = await t.request('GET', '/v1/payments', { key: `sk_test_${'A'.repeat(32)}` });
    expectError(res, 401, 'authentication_error');
    expect(res.text).not.toContain('A'.repeat(32));
  });

  it('answers 401 for a malformed key and for an empty bearer', async () => {
    expectError(await t.request('GET', '/v1/payments', { key: 'not-a-key' }), 401, 'authentication_error');
    expectError(
      await t.request('GET', '/v1/payments', { headers: { authorization: 'Bearer ' } }),
      401,
      'authentication_error',
    );
    expectError(
      await t.request('GET', '/v1/payments', { headers: { authorization: m.secretKey } }),
      401,
      'authentication_error',
    );
  });

  it('answers 401 api_key_wrong_kind for a publishable key on a secret-key endpoint, and does nothing', async () => {
    const before = await m.get('/v1/payments?limit=100');
    const res = await t.request('POST', '/v1/payments', {
      key: m.publishableKey,
      body: { amount: 1000, currency: 'EUR' },
    });
    expectError(res, 401, 'authentication_error', { code: 'api_key_wrong_kind' });
    expectError(
      await t.request('GET', '/v1/payments', { key: m.publishableKey }),
      401,
      'authentication_error',
      {
        code: 'api_key_wrong_kind',
      },
    );
    const after = await m.get('/v1/payments?limit=100');
    expect(after.body.data).toEqual(before.body.data);
  });

  it('accepts the secret key as the Basic user name (curl -u sk_…:)', async () => {
    const basic = Buffer.from(`${m.secretKey}:`).toString('base64');
    const created = await t.request('POST', '/v1/payments', {
      body: { amount: 1200, currency: 'EUR', reference: 'basic-auth' },
      headers: { authorization: `Basic ${basic}` },
    });
    expect(created.status, created.text).toBe(200);
    expect(created.body).toMatchObject({ object: 'payment', amount: 1200, livemode: false });
    const fetched = await m.get(`/v1/payments/${created.body.id}`);
    expect(fetched.status).toBe(200);
  });

  it('refuses Basic auth carrying an unknown key', async () => {
    const basic = Buffer.from(`sk_test_${'B'.repeat(32)}:`).toString('base64');
    expectError(
      await t.request('GET', '/v1/payments', { headers: { authorization: `Basic ${basic}` } }),
      401,
      'authentication_error',
    );
  });

  it('refuses the admin token on merchant endpoints', async () => {
    expectError(await t.request('GET', '/v1/payments', { key: t.adminToken }), 401, 'authentication_error');
  });
});

describe('admin authentication', () => {
  it('refuses a merchant secret key on admin endpoints with 401 and creates nothing', async () => {
    const res = await t.request('POST', '/admin/v1/merchants', {
      key: m.secretKey,
      body: { name: 'Intruder', country: 'FR' },
    });
    expectError(res, 401, 'authentication_error');
    expect(res.body.error.code).toBe('api_key_wrong_kind');
    expect(res.text).not.toMatch(/sk_test_|pk_test_/);
  });

  it('refuses a publishable key on admin endpoints', async () => {
    const res = await t.request('GET', `/admin/v1/merchants/${m.id}`, { key: m.publishableKey });
    expectError(res, 401, 'authentication_error');
  });

  it('refuses a wrong admin token and a missing one', async () => {
    expectError(
      await t.request('GET', `/admin/v1/merchants/${m.id}`, { key: `${t.adminToken}x` }),
      401,
      'authentication_error',
    );
    expectError(
      await t.request('POST', `/admin/v1/merchants/${m.id}/api_keys`, {
        key: 'padm_wrong',
        body: { livemode: true },
      }),
      401,
      'authentication_error',
    );
    expectError(await t.request('GET', `/admin/v1/merchants/${m.id}`), 401, 'authentication_error');
  });

  it('accepts the admin token and never shows keys when reading a merchant', async () => {
    const res = await t.request('GET', `/admin/v1/merchants/${m.id}`, { key: t.adminToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: m.id, object: 'merchant', name: 'Auth Shop', country: 'FR' });
    expect(res.text).not.toContain(m.secretKey);
    expect(res.body.secret_key).toBeUndefined();
  });

  it('creates a merchant whose keys have the contract shapes', async () => {
    const res = await t.request('POST', '/admin/v1/merchants', {
      key: t.adminToken,
      body: { name: 'New', country: 'DE' },
    });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^mer_/);
    expect(res.body.secret_key).toMatch(/^sk_test_/);
    expect(res.body.publishable_key).toMatch(/^pk_test_/);
  });
});
