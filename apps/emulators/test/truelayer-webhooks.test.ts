import { randomUUID } from 'node:crypto';
import { extractJku, type HttpMethod, verify } from 'truelayer-signing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  eventually,
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

const control = (path: string, body: unknown) =>
  fetch(`${bed.url}/_control/truelayer${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });

const webhooksOf = (paymentId: string) =>
  bed.shop.webhooks
    .map((hook) => ({ ...hook, json: JSON.parse(hook.body) }))
    .filter((hook) => hook.json.payment_id === paymentId);

async function waitForWebhooks(paymentId: string, types: string[]) {
  return eventually(
    () => {
      const hooks = webhooksOf(paymentId);
      return types.every((type) => hooks.some((h) => h.json.type === type)) ? hooks : undefined;
    },
    `webhooks ${types.join(', ')}`,
  );
}

/** What a receiver does: checks jku against its allow-list, fetches that JWKS, verifies the JWS. */
async function verifyAsReceiver(hook: { headers: Record<string, unknown>; path: string; body: string }) {
  const signature = hook.headers['tl-signature'] as string;
  const jku = extractJku(signature);
  const allowed = [`${bed.url}/truelayer/api/.well-known/jwks`];
  if (!jku || !allowed.includes(jku)) throw new Error(`jku ${jku} is not allowed`);
  const jwks = await (await fetch(jku)).text();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(hook.headers))
    if (typeof value === 'string') headers[name] = value;
  verify({
    jwks,
    signature,
    method: 'POST' as HttpMethod,
    path: hook.path,
    body: hook.body,
    headers,
    requiredHeaders: ['X-TL-Webhook-Timestamp'],
  });
}

async function settle(paymentId: string) {
  for (const to of ['authorized', 'executed', 'settled']) {
    await control(`/payments/${paymentId}/transition`, { to });
  }
}

describe('TrueLayer webhooks', () => {
  it('sends payment_authorized, payment_executed and payment_settled, each verifiable against the served JWKS', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await settle(created.body.id);
    const hooks = await waitForWebhooks(created.body.id, [
      'payment_authorized',
      'payment_executed',
      'payment_settled',
    ]);
    for (const hook of hooks) await verifyAsReceiver(hook);
    const settled = hooks.find((h) => h.json.type === 'payment_settled')?.json;
    expect(settled).toMatchObject({
      event_version: 1,
      event_id: expect.any(String),
      payment_id: created.body.id,
      payment_method: {
        type: 'bank_transfer',
        provider_id: expect.any(String),
        scheme_id: expect.any(String),
      },
      settled_at: expect.any(String),
      user_id: expect.any(String),
      payment_source: { account_identifiers: [{ type: 'iban' }] },
    });
    const executed = hooks.find((h) => h.json.type === 'payment_executed');
    expect(executed?.headers['x-tl-webhook-timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('signs with ES512, the emulator kid, tl_version 2 and the timestamp header', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    const [hook] = await waitForWebhooks(created.body.id, ['payment_failed']);
    if (!hook) throw new Error('no webhook');
    const signature = hook.headers['tl-signature'] as string;
    const header = JSON.parse(Buffer.from(signature.split('.')[0] as string, 'base64url').toString());
    expect(header).toMatchObject({
      alg: 'ES512',
      kid: bed.emulator.signer.kid,
      tl_version: '2',
      tl_headers: 'X-TL-Webhook-Timestamp',
      jku: `${bed.url}/truelayer/api/.well-known/jwks`,
    });
    expect(hook.json).toMatchObject({
      type: 'payment_failed',
      failure_stage: 'authorization_required',
      failure_reason: 'canceled',
      failed_at: expect.any(String),
    });
  });

  it('fails verification of a webhook body changed in transit', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    const [hook] = await waitForWebhooks(created.body.id, ['payment_failed']);
    if (!hook) throw new Error('no webhook');
    await expect(
      verifyAsReceiver({ ...hook, body: hook.body.replace('canceled', 'settled') }),
    ).rejects.toThrow();
  });

  it('sends refund_executed and refund_failed', async () => {
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await settle(created.body.id);
    const ok = await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/refunds`, {
      amount_in_minor: 100,
      reference: 'OK',
    });
    const ko = await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/refunds`, {
      amount_in_minor: 100,
      reference: 'FAIL-1',
    });
    const hooks = await waitForWebhooks(created.body.id, ['refund_executed', 'refund_failed']);
    for (const hook of hooks) await verifyAsReceiver(hook);
    expect(hooks.find((h) => h.json.type === 'refund_executed')?.json).toMatchObject({
      refund_id: ok.body.id,
      executed_at: expect.any(String),
    });
    expect(hooks.find((h) => h.json.type === 'refund_failed')?.json).toMatchObject({
      refund_id: ko.body.id,
      failure_reason: 'rejected',
    });
  });

  it('retries a webhook the receiver refused until it answers 2xx', async () => {
    bed.shop.refuseNext = 2;
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    await waitForWebhooks(created.body.id, ['payment_failed']);
    const log = await (await fetch(`${bed.url}/_control/truelayer/webhooks`)).json();
    const delivery = log.deliveries.find((d: { paymentId: string }) => d.paymentId === created.body.id);
    expect(delivery).toMatchObject({ delivered: true, attempts: 3 });
  });
});

describe('TrueLayer faults', () => {
  it('duplicates a webhook with the same event_id when asked', async () => {
    await control('/faults', { webhooks: { duplicate: 1 } });
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    const hooks = await eventually(() => {
      const found = webhooksOf(created.body.id);
      return found.length === 2 ? found : undefined;
    }, 'duplicate webhook');
    expect(hooks[0]?.json.event_id).toBe(hooks[1]?.json.event_id);
  });

  it('drops a webhook when asked, and records it as dropped', async () => {
    await control('/faults', { webhooks: { drop: 1 } });
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    await tlApi(bed, token, 'POST', `/v3/payments/${created.body.id}/actions/cancel`);
    await new Promise((done) => setTimeout(done, 150));
    expect(webhooksOf(created.body.id)).toHaveLength(0);
    const log = await (await fetch(`${bed.url}/_control/truelayer/webhooks`)).json();
    expect(log.deliveries.find((d: { paymentId: string }) => d.paymentId === created.body.id)).toMatchObject({
      dropped: true,
    });
  });

  it('answers 500 Unknown Error for an armed error_500, without creating anything', async () => {
    await control('/faults', { calls: [{ operation: 'create_payment', fault: 'error_500' }] });
    const before = bed.emulator.state.payments.size;
    const answer = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    expect(answer.status).toBe(500);
    expect(answer.body).toMatchObject({ title: 'Unknown Error', status: 500, trace_id: expect.any(String) });
    expect(bed.emulator.state.payments.size).toBe(before);
  });

  it('carries out a call whose answer is dropped, and replays it under the same Idempotency-Key', async () => {
    await control('/faults', { calls: [{ operation: 'create_payment', fault: 'drop_answer' }] });
    const key = randomUUID();
    const body = paymentRequest();
    await expect(tlApi(bed, token, 'POST', '/v3/payments', body, { idempotencyKey: key })).rejects.toThrow();
    const retry = await tlApi(bed, token, 'POST', '/v3/payments', body, { idempotencyKey: key });
    expect(retry.status).toBe(201);
    const ledger = await (
      await fetch(`${bed.url}/_control/truelayer/ledger?payment_id=${retry.body.id}`)
    ).json();
    expect(ledger.payments).toHaveLength(1);
  });

  it('holds the answer of a timeout fault until the client gives up', async () => {
    await control('/faults', { calls: [{ operation: 'get_payment', fault: 'timeout' }] });
    const created = await tlApi(bed, token, 'POST', '/v3/payments', paymentRequest());
    const held = fetch(`${bed.url}/truelayer/api/v3/payments/${created.body.id}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(300),
    });
    await expect(held).rejects.toThrow();
  });

  it('fails the token call when asked', async () => {
    await control('/faults', { calls: [{ operation: 'token', fault: 'error_500' }] });
    const response = await fetch(`${bed.url}/truelayer/auth/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=x&client_secret=y&scope=payments',
    });
    expect(response.status).toBe(500);
  });

  it('refuses an unknown fault operation', async () => {
    const response = await control('/faults', { calls: [{ operation: 'nope', fault: 'error_500' }] });
    expect(response.status).toBe(400);
  });
});
