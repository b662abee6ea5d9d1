import { responseErrors } from '@payin/provider-wire/paypal/conformance';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { accessToken, approvedOrder, paypal, type RunningPayPal, startPayPal } from './paypal-harness.js';

let emulator: RunningPayPal;
let token: string;

beforeAll(async () => {
  emulator = await startPayPal();
  token = await accessToken(emulator.url);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await control('DELETE', '/faults');
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_control/paypal${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const capturesOf = async (orderId: string) =>
  (await control('GET', `/ledger?orderId=${orderId}`)).body.orders[0].captures as unknown[];

describe('PayPal emulator faults', () => {
  it('answers 500 INTERNAL_SERVER_ERROR before doing anything, once', async () => {
    await control('POST', '/faults', { calls: [{ operation: 'orders.capture', fault: 'error_500' }] });
    const { id } = await approvedOrder(emulator.url, token);
    const failed = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    expect(failed.status).toBe(500);
    expect(failed.body).toMatchObject({ name: 'INTERNAL_SERVER_ERROR', debug_id: expect.any(String) });
    expect(responseErrors('orders', 'post', '/v2/checkout/orders/{id}/capture', 500, failed.body)).toEqual(
      [],
    );
    expect(await capturesOf(id)).toHaveLength(0);
    const next = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    expect(next.body.status).toBe('COMPLETED');
  });

  it('times out after capturing; the retry with the same PayPal-Request-Id learns the capture', async () => {
    await control('POST', '/faults', { calls: [{ operation: 'orders.capture', fault: 'timeout' }] });
    const { id } = await approvedOrder(emulator.url, token);
    const lost = await fetch(`${emulator.url}/paypal/v2/checkout/orders/${id}/capture`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        'PayPal-Request-Id': `t-${id}`,
      },
      signal: AbortSignal.timeout(300),
    }).catch((error: Error) => error);
    expect(lost).toBeInstanceOf(Error);
    expect(await capturesOf(id)).toHaveLength(1);
    const retry = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`, undefined, {
      requestId: `t-${id}`,
    });
    expect(retry.status).toBe(200);
    expect(retry.body.status).toBe('COMPLETED');
    expect(await capturesOf(id)).toHaveLength(1);
  });

  it('cuts the connection after refunding under drop_answer', async () => {
    const { id } = await approvedOrder(emulator.url, token);
    const order = await paypal(emulator.url, token, 'POST', `/v2/checkout/orders/${id}/capture`);
    const captureId = order.body.purchase_units[0].payments.captures[0].id;
    await control('POST', '/faults', { calls: [{ operation: 'captures.refund', fault: 'drop_answer' }] });
    const cut = await paypal(emulator.url, token, 'POST', `/v2/payments/captures/${captureId}/refund`).catch(
      (error: Error) => error,
    );
    expect(cut).toBeInstanceOf(Error);
    const shown = await paypal(emulator.url, token, 'GET', `/v2/payments/captures/${captureId}`);
    expect(shown.body.status).toBe('REFUNDED');
  });

  it('fails the token call with 500, or cuts it, under a token fault', async () => {
    await control('POST', '/faults', {
      calls: [
        { operation: 'token', fault: 'error_500' },
        { operation: 'token', fault: 'drop_answer' },
      ],
    });
    const failed = await fetch(`${emulator.url}/paypal/v1/oauth2/token`, { method: 'POST' });
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { name: string }).name).toBe('INTERNAL_SERVER_ERROR');
    const cut = await accessToken(emulator.url).catch((error: Error) => error);
    expect(cut).toBeInstanceOf(Error);
    expect(await accessToken(emulator.url)).toMatch(/^A21AA/);
  });

  it('delays every call by latencyMs', async () => {
    await control('POST', '/faults', { latencyMs: 150 });
    const started = Date.now();
    await paypal(emulator.url, token, 'GET', '/v2/checkout/orders/NOPE');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('refuses fault settings it does not know, and lists the armed ones', async () => {
    const refused = await control('POST', '/faults', {
      calls: [{ operation: 'orders.cancel', fault: 'error_500' }],
    });
    expect(refused.status).toBe(400);
    const armed = await control('POST', '/faults', {
      calls: [{ operation: 'authorizations.void', fault: 'timeout', count: 2 }],
      webhooks: { delayMs: 10 },
    });
    expect(armed.body).toEqual({
      latencyMs: 0,
      calls: [{ operation: 'authorizations.void', fault: 'timeout', count: 2 }],
      webhooks: { drop: 0, duplicate: 0, delayMs: 10 },
    });
  });
});
