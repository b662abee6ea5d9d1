import { luhnValid } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, SHOP_ORIGIN, startTestVault, visa } from './harness.js';

/** Bad input gets a clear 4xx, stores nothing, and logs nothing that could identify the card. */
const logLines: string[] = [];
let vault: Awaited<ReturnType<typeof startTestVault>>;
const TOKEN_TTL_MS = 1_000;
let shortLived: Awaited<ReturnType<typeof startTestVault>>;
beforeAll(async () => {
  vault = await startTestVault({}, merchants, { logLines });
  // Long enough that a loaded machine still retains a token before it lapses, short enough to wait out.
  shortLived = await startTestVault(
    { tokenTtlMs: TOKEN_TTL_MS, proxyAllowlist: ['http://127.0.0.1:9'] },
    merchants,
  );
});
afterAll(async () => {
  await vault.stop();
  await shortLived.stop();
});

const PAN = '4242424242424242';

async function post(body: string) {
  const response = await fetch(`${vault.url}/v1/tokens`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer pk_test_merchantAkey',
      'content-type': 'application/json',
      origin: SHOP_ORIGIN,
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

describe('bad input at the vault', () => {
  it('answers 4xx to malformed cards and bodies, echoes no card data, stores and logs none', async () => {
    const cases = [
      JSON.stringify({ card: { ...visa, number: '4242 4242 4242 4241' } }),
      JSON.stringify({ card: { ...visa, number: `${PAN}0000` } }),
      JSON.stringify({ card: { ...visa, number: 'abcd efgh ijkl mnop' } }),
      JSON.stringify({ card: { ...visa, exp_year: 2019 } }),
      JSON.stringify({ card: { ...visa, cvc: '12345' } }),
      JSON.stringify({ card: { ...visa, holder_name: `Ada ${PAN}` } }),
      JSON.stringify({ card: { ...visa, number: PAN, extra: PAN } }),
      JSON.stringify({ card: { ...visa, number: Number(PAN) } }),
      `{"card": {"number": "${PAN}", "exp_month": 12,`,
      JSON.stringify({ card: { ...visa, number: `${PAN}${' '.repeat(1_100_000)}` } }),
      JSON.stringify([PAN]),
    ];
    const before = await vault.db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    for (const body of cases) {
      const { status, text } = await post(body);
      expect(status, text).toBeGreaterThanOrEqual(400);
      expect(status, text).toBeLessThan(500);
      expect(JSON.parse(text).error.message).toBeTruthy();
      expect(text).not.toContain(PAN);
    }
    const after = await vault.db
      .selectFrom('tokens')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    expect(after?.n).toBe(before?.n);
    const logs = logLines.join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    for (const run of logs.match(/\d{13,19}/g) ?? []) expect(luhnValid(run)).toBe(false);
    expect(logs).not.toContain('Ada');
  });

  it('refuses an expired token to the api and to the proxy', async () => {
    const { body: token } = await shortLived.tokenize(visa);
    await new Promise((r) => setTimeout(r, TOKEN_TTL_MS + 100));
    const read = await shortLived.service.request<any>(
      'GET',
      `/v1/tokens/${token.id}?merchant=mer_A&livemode=false`,
    );
    expect(read.status).toBe(400);
    expect(read.body.error.code).toBe('token_expired');
    const proxied = await shortLived.service.request<any>('POST', '/v1/proxy', {
      merchant: 'mer_A',
      livemode: false,
      request: { url: 'http://127.0.0.1:9/pay', method: 'POST', headers: {}, body: `{{${token.id}.number}}` },
    });
    expect(proxied.status).toBe(400);
    expect(proxied.body.error.code).toBe('token_expired');
  });

  it('keeps a retained token past its expiry', async () => {
    const { body: token } = await shortLived.tokenize(visa);
    const retained = await shortLived.service.request<any>('POST', `/v1/tokens/${token.id}/retain`, {
      merchant: 'mer_A',
      livemode: false,
    });
    expect(retained.status).toBe(200);
    expect(retained.body.expires_at).toBeNull();
    await new Promise((r) => setTimeout(r, TOKEN_TTL_MS + 100));
    expect(
      (await shortLived.service.request('GET', `/v1/tokens/${token.id}?merchant=mer_A&livemode=false`))
        .status,
    ).toBe(200);
  });

  it('limits tokenizations per client address (card testing) with a 429 and Retry-After', async () => {
    const limited = await startTestVault({ tokenizationsPerMinute: 3 }, merchants);
    try {
      for (let i = 0; i < 3; i++) expect((await limited.tokenize(visa)).status).toBe(201);
      const response = await fetch(`${limited.url}/v1/tokens`, {
        method: 'POST',
        headers: {
          authorization: 'Bearer pk_test_merchantAkey',
          'content-type': 'application/json',
          origin: SHOP_ORIGIN,
        },
        body: JSON.stringify({ card: visa }),
      });
      expect(response.status).toBe(429);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await response.json()) as any).error.type).toBe('rate_limit_error');
    } finally {
      await limited.stop();
    }
  });
});
