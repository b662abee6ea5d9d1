import { ServiceClient, signServiceRequest } from '@payin/service-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError } from './expect-error.js';
import { startTestApi, type TestApi } from './harness.js';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

describe('allowed origins', () => {
  it('registers, lists and removes the origins that may host card fields', async () => {
    const m = await t.merchant();
    const created = await m.post('/v1/allowed_origins', { origin: 'https://shop.example' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      object: 'allowed_origin',
      origin: 'https://shop.example',
      livemode: false,
    });
    expect(created.body.id).toMatch(/^ao_/);
    await m.post('/v1/allowed_origins', { origin: 'http://localhost:3000' });
    const list = await m.get('/v1/allowed_origins');
    expect(list.body.data.map((o: any) => o.origin)).toEqual([
      'http://localhost:3000',
      'https://shop.example',
    ]);
    const removed = await m.del(`/v1/allowed_origins/${created.body.id}`);
    expect(removed.body).toEqual({ id: created.body.id, object: 'allowed_origin', deleted: true });
    expect((await m.get('/v1/allowed_origins')).body.data).toHaveLength(1);
  });

  it.each([
    ['a path', 'https://shop.example/checkout'],
    ['a trailing slash', 'https://shop.example/'],
    ['another scheme', 'ftp://shop.example'],
    ['no scheme', 'shop.example'],
  ])('refuses an origin with %s', async (_name, origin) => {
    const m = await t.merchant();
    expectError(await m.post('/v1/allowed_origins', { origin }), 400, 'invalid_request_error', {
      code: 'parameter_invalid',
      param: 'origin',
    });
  });

  it('refuses the same origin twice', async () => {
    const m = await t.merchant();
    await m.post('/v1/allowed_origins', { origin: 'https://twice.example' });
    const again = await m.post('/v1/allowed_origins', { origin: 'https://twice.example' });
    expectError(again, 400, 'invalid_request_error', { code: 'parameter_invalid', param: 'origin' });
  });

  it("keeps each merchant's origins to itself", async () => {
    const a = await t.merchant();
    const b = await t.merchant();
    const created = await a.post('/v1/allowed_origins', { origin: 'https://a.example' });
    expect((await b.get('/v1/allowed_origins')).body.data).toEqual([]);
    expect((await b.del(`/v1/allowed_origins/${created.body.id}`)).status).toBe(404);
    expect((await a.get('/v1/allowed_origins')).body.data).toHaveLength(1);
  });
});

describe('GET /internal/v1/publishable_keys/{key} (the vault asks)', () => {
  it("answers the key's merchant, mode and origins to a signed call", async () => {
    const m = await t.merchant();
    await m.post('/v1/allowed_origins', { origin: 'https://shop.example' });
    const client = new ServiceClient(t.url, t.api.config.serviceSecret, 'vault');
    const answer = await client.request<any>('GET', `/internal/v1/publishable_keys/${m.publishableKey}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      merchant: m.id,
      livemode: false,
      allowed_origins: ['https://shop.example'],
    });
    // A secret key is not a publishable key, and an unknown key is unknown.
    expect((await client.request('GET', `/internal/v1/publishable_keys/${m.secretKey}`)).status).toBe(404);
    expect((await client.request('GET', '/internal/v1/publishable_keys/pk_test_unknown000000')).status).toBe(
      404,
    );
  });

  it('refuses unsigned calls, merchant keys, and another secret', async () => {
    const m = await t.merchant();
    const path = `/internal/v1/publishable_keys/${m.publishableKey}`;
    expect((await t.request('GET', path)).status).toBe(401);
    expect((await t.request('GET', path, { key: m.secretKey })).status).toBe(401);
    const forged = signServiceRequest('another-secret-another-secret-another', 'vault', {
      method: 'GET',
      path,
      body: '',
    });
    const res = await t.request('GET', path, { headers: { 'payin-service-signature': forged } });
    expectError(res, 401, 'authentication_error', { code: 'service_signature_invalid' });
  });
});
