import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { luhnValid } from '@payin/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestApi, type TestApi, type TestMerchant } from './harness.js';
import { spawnVault, type VaultProcess } from './vault-process.js';

/**
 * A card payment end to end with the real vault as its own process: tokenize at the vault,
 * pay with the token at the api, then search everything the api wrote — its whole database
 * and every log line — for a card number or a CVC. It must find none (PCI DSS 3.2–3.4: the
 * api is outside the card-data environment). This test stays in the suite for good.
 */
const SHOP = 'https://shop.example';
const SECRET = 'vault-e2e-service-secret-0123456789abcdef';
const CVC = '739';
const AMEX_CVC = '7391';
const logs: string[] = [];
let t: TestApi;
let m: TestMerchant;
let vault: VaultProcess;
let vaultUrl: string;
let dir: string;
/** A provider stand-in on the vault's allowlist: records what reached it, echoes it back. */
let provider: Server;
let providerUrl: string;
const received: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'payin-vault-e2e-'));
  provider = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      received.push(body);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ resultCode: 'Authorised', echo: body }));
    });
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  const [apiPort, vaultPort] = [await freePort(), await freePort()];
  vault = spawnVault({ port: vaultPort, apiPort, secret: SECRET, dir, allowlist: providerUrl });
  vaultUrl = vault.url;
  t = await startTestApi(
    { PORT: String(apiPort), PAYIN_SERVICE_SECRET: SECRET, VAULT_URL: vaultUrl },
    { logDestination: { write: (line) => logs.push(line) } },
  );
  await vault.ready();
  m = await t.merchant();
  await m.post('/v1/allowed_origins', { origin: SHOP });
}, 90_000);

afterAll(async () => {
  vault?.kill();
  provider?.close();
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** As the hosted fields do it, but from the test: the page origin the merchant registered. */
async function tokenize(number: string, opts: { cvc?: string; key?: string } = {}): Promise<any> {
  const response = await fetch(`${vaultUrl}/v1/tokens`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${opts.key ?? m.publishableKey}`,
      'content-type': 'application/json',
      origin: SHOP,
    },
    body: JSON.stringify({
      card: { number, exp_month: 11, exp_year: 2031, cvc: opts.cvc ?? CVC, holder_name: 'Grace Hopper' },
    }),
  });
  const body = (await response.json()) as any;
  expect(response.status, JSON.stringify(body)).toBe(201);
  return body;
}

const pay = (token: string, extra: Record<string, unknown> = {}) =>
  m.post('/v1/payments', { amount: 2599, currency: 'EUR', payment_method: token, confirm: true, ...extra });

describe('card payments with vault tokens', () => {
  it('pays with a token and shows only brand, last four, expiry, country and fingerprint', async () => {
    const token = await tokenize('4242 4242 4242 4242');
    const paid = await pay(token.id);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'succeeded', amount_received: 2599, payment_method: token.id });
    expect(paid.body.payment_method_details).toEqual({
      type: 'card',
      card: {
        brand: 'visa',
        last4: '4242',
        exp_month: 11,
        exp_year: 2031,
        country: 'US',
        funding: 'credit',
        fingerprint: token.card.fingerprint,
      },
    });
    // Refunds and reads work on it like on any payment.
    const refund = await m.post('/v1/refunds', { payment: paid.body.id, amount: 599 });
    expect(refund.status).toBe(200);
    expect(refund.body.status).toBe('succeeded');
    expect((await m.get(`/v1/payments/${paid.body.id}`)).body.payment_method_details.card.last4).toBe('4242');
  });

  it('follows the test card numbers: declines, 3-D Secure, and an unknown card declined in test mode', async () => {
    const declined = await pay((await tokenize('4000000000000002')).id);
    expect(declined.status).toBe(402);
    expect(declined.body.error).toMatchObject({ type: 'card_error', decline_code: 'generic_decline' });

    const funds = await pay((await tokenize('4000000000009995')).id);
    expect(funds.body.error.decline_code).toBe('insufficient_funds');

    const challenge = await pay((await tokenize('4000000000003220')).id, {
      return_url: 'https://shop.example/done',
    });
    expect(challenge.status).toBe(200);
    expect(challenge.body.status).toBe('requires_action');
    expect(challenge.body.next_action.type).toBe('redirect_to_url');

    const other = await pay((await tokenize('4111111111111111')).id);
    expect(other.status).toBe(402);
    expect(other.body.error.message).toContain('test card numbers');

    const amex = await tokenize('378282246310005', { cvc: AMEX_CVC });
    const amexPaid = await pay(amex.id);
    expect(amexPaid.body.payment_method_details.card).toMatchObject({ brand: 'amex', last4: '0005' });
  });

  it('confirms a payment created first and given its token later', async () => {
    const created = await m.post('/v1/payments', { amount: 1200, currency: 'EUR' });
    const token = await tokenize('5555555555554444');
    const confirmed = await m.post(`/v1/payments/${created.body.id}/confirm`, { payment_method: token.id });
    expect(confirmed.body).toMatchObject({ status: 'succeeded' });
    expect(confirmed.body.payment_method_details.card).toMatchObject({ brand: 'mastercard', last4: '4444' });
  });

  it("refuses unknown tokens and another merchant's, creating nothing", async () => {
    const other = await t.merchant('Other');
    await other.post('/v1/allowed_origins', { origin: SHOP });
    const theirs = await tokenize('4242424242424242', { key: other.publishableKey });
    const list = await m.get('/v1/payments?limit=100');
    expect(list.status, list.text).toBe(200);
    const before = list.body.data.length;

    const foreign = await pay(theirs.id);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'resource_missing', param: 'payment_method' });
    const unknown = await pay('tok_doesnotexist000000000');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('resource_missing');
    expect((await m.get('/v1/payments?limit=100')).body.data.length).toBe(before);
    // The owner can pay with it.
    expect(
      (
        await other.post('/v1/payments', {
          amount: 100,
          currency: 'EUR',
          payment_method: theirs.id,
          confirm: true,
        })
      ).body.status,
    ).toBe('succeeded');
  });

  it('has a provider request sent with the card filled in by the vault, the api seeing it masked', async () => {
    const token = await tokenize('4242424242424242');
    const cards = t.api.core.cards;
    if (!cards) throw new Error('the api has no card vault');
    const scope = { merchantId: m.id, livemode: false };
    const outcome = await cards.forward(scope, {
      url: `${providerUrl}/v71/payments`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: `{{${token.id}.number}}`, cvc: `{{${token.id}.cvc}}` }),
    });
    expect(received.at(-1)).toBe(`{"number":"4242424242424242","cvc":"${CVC}"}`);
    expect(outcome.kind).toBe('answered');
    if (outcome.kind !== 'answered') return;
    expect(outcome.answer.status).toBe(200);
    expect(outcome.answer.body).toContain('Authorised');
    expect(outcome.answer.body).not.toContain('4242424242424242');

    const offList = await cards.forward(scope, {
      url: 'http://127.0.0.1:9/x',
      method: 'POST',
      headers: {},
      body: '',
    });
    expect(offList).toMatchObject({ kind: 'refused', code: 'host_not_allowed' });
    const spent = await cards.forward(scope, {
      url: `${providerUrl}/v71/payments`,
      method: 'POST',
      headers: {},
      body: `{{${token.id}.cvc}}`,
    });
    expect(spent).toMatchObject({ kind: 'refused', code: 'placeholder_unavailable' });
  });

  it('leaves no card number or CVC anywhere in the api database or logs', async () => {
    const db = t.api.database.db;
    // Column names come back camelCased (the query layer's plugin).
    const tables = await sql<{ tableName: string }>`
      SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(
      db,
    );
    expect(tables.rows.length).toBeGreaterThan(5);
    const dump: string[] = [];
    for (const { tableName } of tables.rows) {
      const rows = await sql<{
        row: string;
      }>`SELECT to_jsonb(t)::text AS row FROM ${sql.table(tableName)} t`.execute(db);
      dump.push(...rows.rows.map((r) => r.row));
    }
    expect(dump.join('\n')).toContain('tok_');
    for (const [where, text] of [
      ['database', dump.join('\n')],
      ['logs', logs.join('\n')],
    ] as const) {
      // A card number stands alone: digits inside a longer token (a hex hash, an id) are not one,
      // and a random hash holds a Luhn-valid run of 13 digits now and then.
      for (const run of text.match(/(?<![0-9A-Za-z])(?:\d[ -]?){12,18}\d(?![0-9A-Za-z])/g) ?? []) {
        const digits = run.replace(/[ -]/g, '');
        expect(
          digits.length >= 13 && luhnValid(digits),
          `card-like number in the ${where}: …${text.slice(Math.max(0, text.indexOf(run) - 100), text.indexOf(run)).replace(/\d{8,}/g, '#')}`,
        ).toBe(false);
      }
      expect(text, `CVC in the ${where}`).not.toMatch(new RegExp(`["':= ](${CVC}|${AMEX_CVC})["',}\\s]`));
      expect(text).not.toMatch(/"(cvc|cvv|card_number|pan)"\s*:/i);
      expect(text).not.toContain('Grace Hopper');
    }
  });
});
