import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, SHOP_ORIGIN, startTestVault, visa } from './harness.js';

let vault: Awaited<ReturnType<typeof startTestVault>>;
beforeAll(async () => {
  vault = await startTestVault({}, merchants);
});
afterAll(() => vault.stop());

async function rawTokenize(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${vault.url}/v1/tokens`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer pk_test_merchantAkey',
      'content-type': 'application/json',
      origin: SHOP_ORIGIN,
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

describe('POST /v1/tokens', () => {
  it('returns a token with masked card data and a fingerprint', async () => {
    const { status, body } = await vault.tokenize(visa);
    expect(status).toBe(201);
    expect(body.id).toMatch(/^tok_/);
    expect(body.card).toMatchObject({
      brand: 'visa',
      available_brands: ['visa'],
      bin: '424242',
      last4: '4242',
      exp_month: 12,
      exp_year: 2034,
      funding: 'credit',
      country: 'US',
      cvc_available: true,
    });
    expect(body.card.fingerprint).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.stringify(body)).not.toContain('4242424242424242');
    expect(JSON.stringify(body)).not.toContain('Ada');
  });

  it('gives the same card the same fingerprint for a merchant, and another for another merchant', async () => {
    const a1 = await vault.tokenize(visa, 'pk_test_merchantAkey');
    const a2 = await vault.tokenize({ ...visa, number: '4242424242424242' }, 'pk_test_merchantAkey');
    const b = await vault.tokenize(visa, 'pk_test_merchantBkey');
    const other = await vault.tokenize({ ...visa, number: '5555555555554444' }, 'pk_test_merchantAkey');
    expect(a1.body.card.fingerprint).toBe(a2.body.card.fingerprint);
    expect(b.body.card.fingerprint).not.toBe(a1.body.card.fingerprint);
    expect(other.body.card.fingerprint).not.toBe(a1.body.card.fingerprint);
  });

  it('normalises full-width digits typed on a Japanese keyboard', async () => {
    const { status, body } = await vault.tokenize({
      ...visa,
      number: '４２４２４２４２４２４２４２４２',
      cvc: '１２３',
    });
    expect(status).toBe(201);
    expect(body.card.last4).toBe('4242');
  });

  it('lets the cardholder choose Cartes Bancaires on a co-badged card, and refuses a network the card lacks', async () => {
    const chosen = await vault.tokenize({ ...visa, number: '4000002500001001', brand: 'cartes_bancaires' });
    expect(chosen.status).toBe(201);
    expect(chosen.body.card).toMatchObject({
      brand: 'cartes_bancaires',
      available_brands: ['cartes_bancaires', 'visa'],
      country: 'FR',
    });
    const plain = await vault.tokenize({ ...visa, brand: 'cartes_bancaires' });
    expect(plain.status).toBe(400);
    expect(plain.body.error.param).toBe('card[brand]');
  });

  it.each([
    ['a number failing Luhn', { number: '4242424242424241' }, 'invalid_number', 'card[number]'],
    ['a number of an unknown network', { number: '9999999999999995' }, 'invalid_number', 'card[number]'],
    ['a number too short', { number: '424242' }, 'invalid_number', 'card[number]'],
    ['an expiry in the past', { exp_month: 1, exp_year: 2020 }, 'expired_card', 'card[exp_year]'],
    ['an expiry year 50 years ahead', { exp_year: 2080 }, 'invalid_expiry_year', 'card[exp_year]'],
    ['a 4-digit CVC on a Visa', { cvc: '1234' }, 'invalid_cvc', 'card[cvc]'],
    ['a 3-digit CVC on an Amex', { number: '378282246310005', cvc: '123' }, 'invalid_cvc', 'card[cvc]'],
    ['letters in the CVC', { cvc: '12a' }, 'invalid_cvc', 'card[cvc]'],
    [
      'a card number in the holder name',
      { holder_name: 'Ada 4242424242424242' },
      'parameter_invalid',
      'card[holder_name]',
    ],
  ])(
    'refuses %s with a clear 400 naming the field, and stores nothing',
    async (_name, change, code, param) => {
      const before = await vault.db
        .selectFrom('tokens')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      const { status, body } = await vault.tokenize({ ...visa, ...change });
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ type: 'invalid_request_error', code, param });
      // The message names the field, never the value.
      expect(JSON.stringify(body)).not.toMatch(/4242|1234|12a|9999/);
      const after = await vault.db
        .selectFrom('tokens')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst();
      expect(after?.n).toBe(before?.n);
    },
  );

  it.each([
    ['a month of 13', { exp_month: 13 }, 'card[exp_month]'],
    ['a number as a JSON number', { number: 4242424242424242 }, 'card[number]'],
    ['an unknown field', { track2: 'x' }, 'card[track2]'],
  ])('refuses %s through the schema', async (_name, change, param) => {
    const { status, body } = await vault.tokenize({ ...visa, ...change });
    expect(status).toBe(400);
    expect(body.error.param).toBe(param);
  });

  it('refuses a body over 1 MB, broken JSON and a missing card', async () => {
    expect((await rawTokenize({ card: { ...visa, holder_name: 'x'.repeat(1_100_000) } })).status).toBe(413);
    const broken = await rawTokenize('{"card": {"number": "4242424242424242"');
    expect(broken.status).toBe(400);
    expect(JSON.stringify(broken.body)).not.toContain('4242424242424242');
    expect((await rawTokenize({})).body.error).toMatchObject({ code: 'parameter_missing', param: 'card' });
  });

  it('refuses a missing, secret, or unknown key and a page origin the merchant did not register', async () => {
    expect((await rawTokenize({ card: visa }, { authorization: '' })).status).toBe(401);
    expect(
      (await rawTokenize({ card: visa }, { authorization: 'Bearer sk_test_merchantAkey' })).body.error.code,
    ).toBe('api_key_wrong_kind');
    expect((await rawTokenize({ card: visa }, { authorization: 'Bearer pk_test_unknownkey1' })).status).toBe(
      401,
    );
    const foreign = await rawTokenize({ card: visa }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('origin_not_allowed');
    // From the vault's own frames, the hosting page is named in parent_origin and checked the same way.
    const vaultOrigin = new URL(vault.config.publicUrl).origin;
    expect(
      (await rawTokenize({ card: visa, parent_origin: SHOP_ORIGIN }, { origin: vaultOrigin })).status,
    ).toBe(201);
    expect(
      (await rawTokenize({ card: visa, parent_origin: 'https://evil.example' }, { origin: vaultOrigin }))
        .status,
    ).toBe(403);
    expect((await rawTokenize({ card: visa }, { origin: '' })).status).toBe(403);
  });
});

describe('GET /v1/tokens/{id} (service)', () => {
  it('answers the masked card to the api, and 404 to another merchant or mode', async () => {
    const { body: token } = await vault.tokenize(visa);
    const read = await vault.service.request<any>(
      'GET',
      `/v1/tokens/${token.id}?merchant=mer_A&livemode=false`,
    );
    expect(read.status).toBe(200);
    expect(read.body.card).toMatchObject({ last4: '4242', cvc_available: true });
    expect(JSON.stringify(read.body)).not.toContain('4242424242424242');
    expect(
      (await vault.service.request('GET', `/v1/tokens/${token.id}?merchant=mer_B&livemode=false`)).status,
    ).toBe(404);
    expect(
      (await vault.service.request('GET', `/v1/tokens/${token.id}?merchant=mer_A&livemode=true`)).status,
    ).toBe(404);
    expect(
      (await vault.service.request('GET', '/v1/tokens/tok_doesnotexist?merchant=mer_A&livemode=false'))
        .status,
    ).toBe(404);
  });

  it('refuses calls without a valid service signature', async () => {
    const { body: token } = await vault.tokenize(visa);
    const unsigned = await fetch(`${vault.url}/v1/tokens/${token.id}?merchant=mer_A&livemode=false`);
    expect(unsigned.status).toBe(401);
    expect(((await unsigned.json()) as any).error.code).toBe('service_signature_invalid');
  });
});
