import { randomUUID } from 'node:crypto';
import { sign } from 'truelayer-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  CLIENT_ID,
  CLIENT_SECRET,
  eventually,
  KID,
  MERCHANT_GBP,
  paymentRequest,
  startTrueLayer,
  type TrueLayerTestbed,
  tlApi,
} from './truelayer-harness.js';

let bed: TrueLayerTestbed;
let token: string;

beforeAll(async () => {
  bed = await startTrueLayer();
  token = await accessToken(bed);
});
afterAll(() => bed.close());

const tokenCall = (params: Record<string, string>) =>
  fetch(`${bed.url}/truelayer/auth/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });

describe('TrueLayer auth server', () => {
  it('grants a one-hour bearer token for client credentials with the payments scope', async () => {
    const response = await tokenCall({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      scope: 'payments',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      expires_in: 3600,
      token_type: 'Bearer',
      scope: 'payments',
    });
  });

  it('answers invalid_client with 401 for a wrong secret', async () => {
    const response = await tokenCall({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: 'nope',
      scope: 'payments',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client' });
  });

  it('refuses a grant without the payments scope as invalid_scope', async () => {
    const response = await tokenCall({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_scope' });
  });

  it('refuses API calls without a valid bearer token, in problem details', async () => {
    const answer = await tlApi(bed, 'not-a-token', 'GET', `/v3/payments/${randomUUID()}`);
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({
      title: 'Unauthenticated',
      status: 401,
      trace_id: expect.any(String),
    });
    expect(answer.body.type).toBe('https://docs.truelayer.com/docs/error-types#unauthenticated');
  });
});

describe('TrueLayer request signing', () => {
  it('accepts a POST signed over method, path, Idempotency-Key and body', async () => {
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    expect(answer.status).toBe(201);
  });

  it('accepts a signature over the emulator path the client actually sent', async () => {
    const body = JSON.stringify(paymentRequest());
    const key = randomUUID();
    const signature = sign({
      kid: KID,
      privateKeyPem: bed.privateKeyPem,
      path: '/truelayer/api/v3/payments',
      headers: { 'Idempotency-Key': key },
      body,
    });
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', undefined, {
      raw: body,
      idempotencyKey: key,
      signature,
    });
    expect(answer.status).toBe(201);
  });

  it('refuses a POST without Tl-Signature with 401', async () => {
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest(), { signature: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({
      title: 'Unauthenticated',
      detail: expect.stringContaining('Tl-Signature'),
    });
  });

  it('refuses a body changed after signing', async () => {
    const key = randomUUID();
    const signed = JSON.stringify(paymentRequest());
    const signature = sign({
      kid: KID,
      privateKeyPem: bed.privateKeyPem,
      path: '/v3/payments',
      headers: { 'Idempotency-Key': key },
      body: signed,
    });
    const tampered = signed.replace('"amount_in_minor":4990', '"amount_in_minor":1');
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', undefined, {
      raw: tampered,
      idempotencyKey: key,
      signature,
    });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toBe('Invalid request signature.');
  });

  it('refuses a signature that does not cover the Idempotency-Key', async () => {
    const body = JSON.stringify(paymentRequest());
    const signature = sign({ kid: KID, privateKeyPem: bed.privateKeyPem, path: '/v3/payments', body });
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', undefined, { raw: body, signature });
    expect(answer.status).toBe(401);
  });

  it('refuses a signature by a key whose kid is not registered', async () => {
    const key = randomUUID();
    const body = JSON.stringify(paymentRequest());
    const signature = sign({
      kid: 'someone-else',
      privateKeyPem: bed.privateKeyPem,
      path: '/v3/payments',
      headers: { 'Idempotency-Key': key },
      body,
    });
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', undefined, {
      raw: body,
      idempotencyKey: key,
      signature,
    });
    expect(answer.status).toBe(401);
    expect(answer.body.detail).toContain('someone-else');
  });
});

describe('TrueLayer idempotency', () => {
  it('answers the stored response to the same key and request', async () => {
    const body = paymentRequest();
    const key = randomUUID();
    const first = await tlApi(bed, token, 'POST', '/v3/payments', body, { idempotencyKey: key });
    const again = await tlApi(bed, token, 'POST', '/v3/payments', body, { idempotencyKey: key });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(bed.emulator.state.ledger(first.body.id)).toHaveLength(1);
  });

  it('answers 422 Idempotency-Key Reuse to the same key with another body', async () => {
    const key = randomUUID();
    await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest(), { idempotencyKey: key });
    const other = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest({ amount_in_minor: 100 }), {
      idempotencyKey: key,
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ title: 'Idempotency-Key Reuse', status: 422 });
  });

  it('answers 409 to the same key while the first request is still running', async () => {
    bed.emulator.faults.set({ latencyMs: 300 });
    const key = randomUUID();
    const body = paymentRequest();
    try {
      const first = tlApi(bed, token, 'POST', '/v3/payments', body, { idempotencyKey: key });
      await new Promise((done) => setTimeout(done, 100));
      const second = await tlApi(bed, token, 'POST', '/v3/payments', body, { idempotencyKey: key });
      expect(second.status).toBe(409);
      expect(second.body.title).toBe('Idempotency-Key Concurrency Conflict');
      expect((await first).status).toBe(201);
    } finally {
      bed.emulator.faults.reset();
    }
  });

  it('requires an Idempotency-Key on POST', async () => {
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest(), {
      idempotencyKey: null,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveProperty('Idempotency-Key');
  });
});

describe('TrueLayer payments', () => {
  it('creates a payment waiting for authorisation, with a resource token and the user id', async () => {
    const userId = randomUUID();
    const body = paymentRequest({ user: { id: userId, name: 'Ana García', email: 'ana@example.es' } });
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', body);
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.any(String),
      user: { id: userId },
      resource_token: expect.any(String),
      status: 'authorization_required',
    });
    const read = await tlApi(bed, token, 'GET', `/v3/payments/${answer.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: answer.body.id,
      amount_in_minor: 4990,
      currency: 'EUR',
      status: 'authorization_required',
      user: { id: userId },
      metadata: body.metadata,
      payment_method: { type: 'bank_transfer', provider_selection: { type: 'user_selected' } },
    });
  });

  it('reports every invalid field at once, keyed by JSON path', async () => {
    const answer = await tlApi(
      bed,
      token,
      'POST',
      '/v3/payments',
      paymentRequest({
        amount_in_minor: 0,
        currency: 'USD',
        user: { name: '', email: 'not-an-email' },
      }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ title: 'Invalid Parameters', status: 400 });
    expect(Object.keys(answer.body.errors).sort()).toEqual([
      'amount_in_minor',
      'currency',
      'user.email',
      'user.name',
    ]);
  });

  it('refuses a merchant account of another currency', async () => {
    const body = paymentRequest();
    body.payment_method.beneficiary.merchant_account_id = MERCHANT_GBP;
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', body);
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveProperty(['payment_method.beneficiary.merchant_account_id']);
  });

  it('requires an email or a phone for the user', async () => {
    const answer = await tlApi(
      bed,
      token,
      'POST',
      '/v3/payments',
      paymentRequest({ user: { name: 'No Contact' } }),
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors.user).toEqual(['Either email or phone must be provided.']);
  });

  it('answers 404 Not Found for an unknown payment', async () => {
    const answer = await tlApi(bed, token, 'GET', `/v3/payments/${randomUUID()}`);
    expect(answer.status).toBe(404);
    expect(answer.body.title).toBe('Not Found');
  });

  it('cancels a payment before authorisation: failed at authorization_required with canceled', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    const cancel = await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    expect(cancel.status).toBe(202);
    const read = await tlApi(bed, token, 'GET', `/v3/payments/${created.body.id}`);
    expect(read.body).toMatchObject({
      status: 'failed',
      failure_stage: 'authorization_required',
      failure_reason: 'canceled',
      failed_at: expect.any(String),
    });
  });

  it('refuses to cancel an authorised payment', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await bed.app.inject({
      method: 'POST',
      url: `/_control/truelayer/payments/${created.body.id}/transition`,
      payload: { to: 'authorized' },
    });
    const cancel = await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    expect(cancel.status).toBe(400);
    expect(cancel.body.title).toBe('Invalid State');
  });

  it('expires a payment not authorised before the deadline', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    const moved = await bed.app.inject({
      method: 'POST',
      url: '/_control/truelayer/clock/advance',
      payload: { ms: 60_000 },
    });
    expect(moved.json().ran).toBeGreaterThan(0);
    const read = await tlApi(bed, token, 'GET', `/v3/payments/${created.body.id}`);
    expect(read.body).toMatchObject({
      status: 'failed',
      failure_reason: 'expired',
      failure_stage: 'authorization_required',
    });
  });
});

describe('TrueLayer refunds', () => {
  async function settledPayment(amount = 4990): Promise<string> {
    const created = await tlApi(
      bed,
      token,
      'POST',
      '/v3/payments',
      paymentRequest({ amount_in_minor: amount }),
    );
    const id = created.body.id as string;
    for (const to of ['authorized', 'executed', 'settled']) {
      await bed.app.inject({
        method: 'POST',
        url: `/_control/truelayer/payments/${id}/transition`,
        payload: { to },
      });
    }
    return id;
  }

  it('refuses a refund before the payment has settled', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    const refund = await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/refunds`, {
      amount_in_minor: 100,
      reference: 'REFUND-1',
    });
    expect(refund.status).toBe(400);
    expect(refund.body.title).toBe('Invalid State');
  });

  it('refunds a settled payment: pending, then authorized, then executed', async () => {
    const id = await settledPayment();
    const created = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 1000,
      reference: 'REFUND-1',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String) });
    const first = await tlApi(bed, token, 'GET', `/v3/payments/${id}/refunds/${created.body.id}`);
    expect(first.body).toMatchObject({
      amount_in_minor: 1000,
      currency: 'EUR',
      reference: 'REFUND-1',
      status: 'pending',
    });
    const executed = await eventually(async () => {
      const read = await tlApi(bed, token, 'GET', `/v3/payments/${id}/refunds/${created.body.id}`);
      return read.body.status === 'executed' ? read.body : undefined;
    }, 'refund execution');
    expect(executed).toMatchObject({ authorized_at: expect.any(String), executed_at: expect.any(String) });
    const list = await tlApi(bed, token, 'GET', `/v3/payments/${id}/refunds`);
    expect(list.body.items).toHaveLength(1);
  });

  it('refuses a refund larger than what remains to refund', async () => {
    const id = await settledPayment(2000);
    const first = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 1500,
      reference: 'R1',
    });
    expect(first.status).toBe(201);
    const over = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 501,
      reference: 'R2',
    });
    expect(over.status).toBe(400);
    expect(over.body.errors.amount_in_minor[0]).toContain('500');
    const rest = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 500,
      reference: 'R3',
    });
    expect(rest.status).toBe(201);
  });

  it('fails a refund whose reference starts with FAIL, giving its amount back', async () => {
    const id = await settledPayment(1000);
    const created = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 1000,
      reference: 'FAIL-REFUND',
    });
    await eventually(async () => {
      const read = await tlApi(bed, token, 'GET', `/v3/payments/${id}/refunds/${created.body.id}`);
      return read.body.status === 'failed' ? read.body : undefined;
    }, 'refund failure');
    const again = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 1000,
      reference: 'R',
    });
    expect(again.status).toBe(201);
  });

  it('validates the refund reference length', async () => {
    const id = await settledPayment();
    const answer = await tlApi(bed, token, 'POST', `/v3/payments/${id}/refunds`, {
      amount_in_minor: 10,
      reference: 'x'.repeat(19),
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toHaveProperty('reference');
  });
});
