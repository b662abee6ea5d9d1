import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** API.md "Transport": health, readiness, Prometheus metrics; the published OpenAPI document and docs. */

let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi();
  m = await t.merchant('Ops Shop');
});
afterAll(async () => {
  await t?.close();
});

describe('health and metrics', () => {
  it('answers GET /healthz 200 without a key', async () => {
    const res = await t.request('GET', '/healthz');
    expect(res.status).toBe(200);
  });

  it('answers GET /readyz 200 with the state of each check (database included)', async () => {
    const res = await t.request('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body.checks).toBeTypeOf('object');
    expect(res.body.checks.database).toBe('ok');
    expect(Object.values(res.body.checks).every((v) => v === 'ok')).toBe(true);
  });

  it('answers GET /readyz 503 while the database does not answer, and 200 again after', async () => {
    const database = t.api.database;
    const ping = database.ping;
    database.ping = async () => false;
    try {
      const res = await t.request('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body.checks.database).not.toBe('ok');
      expect((await t.request('GET', '/healthz')).status).toBe(200);
    } finally {
      database.ping = ping;
    }
    expect((await t.request('GET', '/readyz')).status).toBe(200);
  });

  it('serves /metrics in Prometheus text format with request latency and payment outcomes', async () => {
    const payment = await m.post('/v1/payments', {
      amount: 1999,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(payment.body.status).toBe('succeeded');
    await m.get(`/v1/payments/${payment.body.id}`);

    const res = await t.request('GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^# HELP payin_http_request_duration_seconds /m);
    expect(res.text).toMatch(/^# TYPE payin_http_request_duration_seconds histogram$/m);
    expect(res.text).toMatch(
      /^payin_http_request_duration_seconds_count\{[^}]*route="\/v1\/payments\/:id"[^}]*\} \d+/m,
    );
    const outcome = /^payin_payment_outcomes_total\{connector="sandbox",status="succeeded"\} (\d+)$/m.exec(
      res.text,
    );
    expect(outcome).not.toBeNull();
    expect(Number(outcome?.[1])).toBeGreaterThanOrEqual(1);
    // Labels carry route patterns, never ids: ids would explode the number of series.
    expect(res.text).not.toContain(payment.body.id);
  });

  it('counts a declined payment as a failed outcome', async () => {
    await m.post('/v1/payments', {
      amount: 500,
      currency: 'EUR',
      payment_method: 'pm_card_chargeDeclined',
      confirm: true,
    });
    const res = await t.request('GET', '/metrics');
    expect(res.text).toMatch(
      /^payin_payment_outcomes_total\{connector="sandbox",status="failed"\} [1-9]\d*$/m,
    );
  });
});

describe('OpenAPI document and docs', () => {
  const endpoints: [string, string][] = [
    ['post', '/v1/payments'],
    ['get', '/v1/payments'],
    ['get', '/v1/payments/{id}'],
    ['post', '/v1/payments/{id}/confirm'],
    ['post', '/v1/payments/{id}/capture'],
    ['post', '/v1/payments/{id}/cancel'],
    ['post', '/v1/refunds'],
    ['get', '/v1/refunds'],
    ['get', '/v1/refunds/{id}'],
    ['get', '/v1/events'],
    ['get', '/v1/events/{id}'],
    ['post', '/v1/webhook_endpoints'],
    ['get', '/v1/webhook_endpoints'],
    ['get', '/v1/webhook_endpoints/{id}'],
    ['delete', '/v1/webhook_endpoints/{id}'],
    ['post', '/admin/v1/merchants'],
  ];

  it('publishes /openapi.json as OpenAPI 3.1 with an operation for every contract endpoint', async () => {
    const res = await t.request('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\.1\./);
    expect(res.body.info.title).toBeTruthy();
    const missing = endpoints
      .filter(([method, path]) => !res.body.paths?.[path]?.[method])
      .map(([m, p]) => `${m} ${p}`);
    expect(missing).toEqual([]);
  });

  it('documents the payment parameters and the error shape in the OpenAPI document', async () => {
    const doc = (await t.request('GET', '/openapi.json')).body;
    const create = doc.paths['/v1/payments'].post;
    const schema = create.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(expect.arrayContaining(['amount', 'currency']));
    for (const field of [
      'amount',
      'currency',
      'reference',
      'description',
      'capture_method',
      'customer',
      'payment_method',
      'confirm',
      'return_url',
      'metadata',
    ]) {
      expect(schema.properties, field).toHaveProperty(field);
    }
    const text = JSON.stringify(create.responses);
    expect(text).toContain('"error"');
    expect(text).toContain('decline_code');
    const idempotency = (create.parameters ?? []).find(
      (p: { name: string }) => p.name.toLowerCase() === 'idempotency-key',
    );
    expect(idempotency).toBeDefined();
  });

  it('serves /docs as an HTML page', async () => {
    const res = await fetch(`${t.url}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });
});
