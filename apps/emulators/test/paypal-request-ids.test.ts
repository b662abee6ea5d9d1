import { responseErrors } from '@payin/provider-wire/paypal/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accessToken,
  approvalLink,
  approvedOrder,
  orderRequest,
  paypal,
  type RunningPayPal,
  startPayPal,
  submitApproval,
} from './paypal-harness.js';

let emulator: RunningPayPal;
let token: string;

beforeAll(async () => {
  emulator = await startPayPal();
  token = await accessToken(emulator.url);
});
afterAll(() => emulator.close());

const ORDERS = '/v2/checkout/orders';
const conforms = (method: 'get' | 'post', path: string, answer: { status: number; body: unknown }) =>
  expect(responseErrors('orders', method, path, answer.status, answer.body)).toEqual([]);

describe('PayPal emulator: PayPal-Request-Id', () => {
  it('answers a repeated create with the same order, 200, in its latest status, even with another body', async () => {
    const first = await paypal(emulator.url, token, 'POST', ORDERS, orderRequest(), {
      requestId: 'req-create-1',
    });
    const again = await paypal(emulator.url, token, 'POST', ORDERS, orderRequest(), {
      requestId: 'req-create-1',
    });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    await submitApproval(approvalLink(first.body), 'pay');
    const later = await paypal(
      emulator.url,
      token,
      'POST',
      ORDERS,
      { other: 'body' },
      { requestId: 'req-create-1' },
    );
    expect(later.body).toMatchObject({ id: first.body.id, status: 'APPROVED' });
    expect(emulator.state.ledger().filter((o) => o.id === first.body.id)).toHaveLength(1);
  });

  it('captures once under one request id: the retry answers the same capture', async () => {
    const { id } = await approvedOrder(emulator.url, token);
    const path = `${ORDERS}/${id}/capture`;
    const first = await paypal(emulator.url, token, 'POST', path, undefined, { requestId: `cap-${id}` });
    const retry = await paypal(emulator.url, token, 'POST', path, undefined, { requestId: `cap-${id}` });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.purchase_units[0].payments.captures[0].id).toBe(
      first.body.purchase_units[0].payments.captures[0].id,
    );
    conforms('post', `${ORDERS}/{id}/capture`, retry);
    const [ledger] = emulator.state.ledger(id);
    expect(ledger?.captures).toHaveLength(1);
  });

  it('replays a stored error under its request id', async () => {
    const created = await paypal(emulator.url, token, 'POST', ORDERS, orderRequest());
    const path = `${ORDERS}/${created.body.id}/capture`;
    const first = await paypal(emulator.url, token, 'POST', path, undefined, { requestId: 'cap-too-early' });
    await submitApproval(approvalLink(created.body), 'pay');
    const retry = await paypal(emulator.url, token, 'POST', path, undefined, { requestId: 'cap-too-early' });
    expect(retry.status).toBe(422);
    expect(retry.body).toEqual(first.body);
  });
});
