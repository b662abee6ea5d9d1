import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/** PCI DSS 3.x: no card number reaches the api's database, logs, errors or metrics. */
const PAN = '4242424242424242';
const SPACED = '4000 0566 5566 5556';
const logs: string[] = [];
let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi({}, { logDestination: { write: (line) => logs.push(line) } });
  m = await t.merchant();
});
afterAll(async () => {
  await t?.close();
});

const leaks = (text: string) =>
  text.includes(PAN) || text.replace(/\s/g, '').includes(SPACED.replace(/\s/g, ''));

describe('card data', () => {
  it('refuses card numbers in free-text fields, without echoing them', async () => {
    for (const body of [
      { amount: 100, currency: 'EUR', description: `card ${PAN}` },
      { amount: 100, currency: 'EUR', reference: SPACED },
      { amount: 100, currency: 'EUR', customer: PAN },
      { amount: 100, currency: 'EUR', metadata: { note: PAN } },
      { amount: 100, currency: 'EUR', payment_method: PAN },
    ]) {
      const res = await m.post('/v1/payments', body);
      expect(res.status).toBe(400);
      expect(res.body.error.type).toBe('invalid_request_error');
      expect(leaks(res.text)).toBe(false);
    }
  });

  it('masks card numbers that come back in error messages', async () => {
    const unknownParam = await m.post('/v1/payments', { amount: 100, currency: 'EUR', [PAN]: '1' });
    expect(unknownParam.status).toBe(400);
    expect(leaks(unknownParam.text)).toBe(false);
    const badJson = await t.request('POST', '/v1/payments', {
      key: m.secretKey,
      rawBody: `{"amount": 100, "number": "${PAN}",`,
      headers: { 'content-type': 'application/json' },
    });
    expect(badJson.status).toBe(400);
    expect(leaks(badJson.text)).toBe(false);
    const badType = await m.post('/v1/payments', { amount: PAN, currency: 'EUR' });
    expect(badType.status).toBe(400);
    expect(leaks(badType.text)).toBe(false);
  });

  it('keeps card numbers and keys out of logs, metrics and the database', async () => {
    await m.post('/v1/payments', {
      amount: 100,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await t.request('GET', `/v1/payments?customer=${PAN}`, { key: m.secretKey });
    const metrics = await t.request('GET', '/metrics');
    expect(leaks(metrics.text)).toBe(false);

    const all = logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    expect(leaks(all)).toBe(false);
    expect(all).not.toContain(m.secretKey);

    const db = t.api.database.db;
    for (const table of ['payments', 'payment_attempts', 'events', 'idempotency_keys', 'refunds']) {
      const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(table)} t`.execute(db);
      for (const r of rows.rows) expect(leaks(r.row), table).toBe(false);
    }
    const keys = await sql<{ row: string }>`SELECT t::text AS row FROM api_keys t`.execute(db);
    for (const r of keys.rows) expect(r.row).not.toContain(m.secretKey);
  });
});
