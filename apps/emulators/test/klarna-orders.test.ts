import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { control, klarna, placedOrder, type RunningKlarna, startKlarna } from './klarna-harness.js';

let emulator: RunningKlarna;
let base: string;

beforeAll(async () => {
  emulator = await startKlarna();
  base = emulator.url;
});
afterAll(() => emulator.close());

const orders = '/ordermanagement/v1/orders';
const read = async (orderId: string) => (await klarna(base, 'GET', `${orders}/${orderId}`)).body;

describe('Klarna Order Management API', () => {
  it('reads an order as placed: AUTHORIZED, nothing captured, 28 days to capture', async () => {
    const { order_id } = await placedOrder(base);
    const order = await read(order_id);
    expect(order).toMatchObject({
      order_id,
      status: 'AUTHORIZED',
      fraud_status: 'ACCEPTED',
      order_amount: 11_900,
      original_order_amount: 11_900,
      captured_amount: 0,
      refunded_amount: 0,
      remaining_authorized_amount: 11_900,
      purchase_currency: 'EUR',
      purchase_country: 'DE',
      locale: 'de-DE',
      captures: [],
      refunds: [],
      initial_payment_method: { type: 'INVOICE' },
    });
    expect(order.klarna_reference).toMatch(/^[A-Z0-9]{7}$/);
    expect(Date.parse(order.expires_at) - Date.parse(order.created_at)).toBe(28 * 86_400_000);
  });

  it('answers 404 NO_SUCH_ORDER for an unknown order', async () => {
    const answer = await klarna(base, 'GET', `${orders}/00000000-0000-0000-0000-000000000000`);
    expect(answer.status).toBe(404);
    expect(answer.body.error_code).toBe('NO_SUCH_ORDER');
  });

  it('captures in part then in full, with 201, Location and Capture-Id', async () => {
    const { order_id } = await placedOrder(base);
    const first = await klarna(base, 'POST', `${orders}/${order_id}/captures`, {
      captured_amount: 4_000,
      reference: 'ship-1',
    });
    expect(first.status).toBe(201);
    expect(first.body).toBeUndefined();
    const captureId = first.headers.get('capture-id');
    expect(first.headers.get('location')).toBe(`${base}/klarna${orders}/${order_id}/captures/${captureId}`);
    const capture = await fetch(first.headers.get('location') as string, {
      headers: {
        Authorization: `Basic ${Buffer.from('PK_test_payin:klarna_test_password').toString('base64')}`,
      },
    });
    expect(await capture.json()).toMatchObject({
      capture_id: captureId,
      captured_amount: 4_000,
      reference: 'ship-1',
      refunded_amount: 0,
    });
    expect(await read(order_id)).toMatchObject({
      status: 'PART_CAPTURED',
      captured_amount: 4_000,
      remaining_authorized_amount: 7_900,
    });
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 7_900 })).status,
    ).toBe(201);
    expect(await read(order_id)).toMatchObject({
      status: 'CAPTURED',
      captured_amount: 11_900,
      remaining_authorized_amount: 0,
    });
  });

  it('refuses a capture over the remaining authorized amount with 403 CAPTURE_NOT_ALLOWED', async () => {
    const { order_id } = await placedOrder(base);
    await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 10_000 });
    const over = await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 2_000 });
    expect(over.status).toBe(403);
    expect(over.body.error_code).toBe('CAPTURE_NOT_ALLOWED');
    expect(over.body.error_messages[0]).toContain('1900');
    expect((await read(order_id)).captured_amount).toBe(10_000);
  });

  it.each([0, -5, 1.5, '100'])('refuses captured_amount %s with BAD_VALUE', async (amount) => {
    const { order_id } = await placedOrder(base);
    const answer = await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: amount });
    expect(answer.status).toBe(400);
    expect(answer.body.error_code).toBe('BAD_VALUE');
  });

  it('refunds up to the captured amount with 201, Location and Refund-Id, then REFUND_NOT_ALLOWED', async () => {
    const { order_id } = await placedOrder(base);
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/refunds`, { refunded_amount: 100 })).body.error_code,
    ).toBe('REFUND_NOT_ALLOWED');
    await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 5_000 });
    const refund = await klarna(base, 'POST', `${orders}/${order_id}/refunds`, {
      refunded_amount: 3_000,
      description: 'returned',
    });
    expect(refund.status).toBe(201);
    expect(refund.headers.get('location')).toBe(
      `${base}/klarna${orders}/${order_id}/refunds/${refund.headers.get('refund-id')}`,
    );
    const over = await klarna(base, 'POST', `${orders}/${order_id}/refunds`, { refunded_amount: 2_001 });
    expect(over.status).toBe(403);
    expect(over.body.error_code).toBe('REFUND_NOT_ALLOWED');
    const order = await read(order_id);
    expect(order).toMatchObject({ refunded_amount: 3_000, captured_amount: 5_000, status: 'PART_CAPTURED' });
    expect(order.captures[0].refunded_amount).toBe(3_000);
    expect(order.refunds).toHaveLength(1);
  });

  it('closes an order captured and refunded in full', async () => {
    const { order_id } = await placedOrder(base);
    await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 11_900 });
    await klarna(base, 'POST', `${orders}/${order_id}/refunds`, { refunded_amount: 11_900 });
    expect((await read(order_id)).status).toBe('CLOSED');
  });

  it('cancels an uncaptured order with 204, and refuses to cancel after a capture', async () => {
    const { order_id } = await placedOrder(base);
    const cancelled = await klarna(base, 'POST', `${orders}/${order_id}/cancel`);
    expect(cancelled.status).toBe(204);
    expect(await read(order_id)).toMatchObject({ status: 'CANCELLED', remaining_authorized_amount: 0 });
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 100 })).body
        .error_code,
    ).toBe('CAPTURE_NOT_ALLOWED');

    const captured = (await placedOrder(base)).order_id;
    await klarna(base, 'POST', `${orders}/${captured}/captures`, { captured_amount: 100 });
    const refused = await klarna(base, 'POST', `${orders}/${captured}/cancel`);
    expect(refused.status).toBe(403);
    expect(refused.body.error_code).toBe('CANCEL_NOT_ALLOWED');
  });

  it('extends the authorization time by 7 days, up to 180 days in all', async () => {
    const { order_id } = await placedOrder(base);
    const before = Date.parse((await read(order_id)).expires_at);
    expect((await klarna(base, 'POST', `${orders}/${order_id}/extend-authorization-time`, {})).status).toBe(
      204,
    );
    expect(Date.parse((await read(order_id)).expires_at) - before).toBe(7 * 86_400_000);
    let last = 204;
    for (let i = 0; i < 30 && last === 204; i++)
      last = (await klarna(base, 'POST', `${orders}/${order_id}/extend-authorization-time`)).status;
    expect(last).toBe(403);
    const order = await read(order_id);
    expect(Date.parse(order.expires_at) - Date.parse(order.created_at)).toBeLessThanOrEqual(180 * 86_400_000);
  });

  it('releases the remaining authorization of a partly captured order only', async () => {
    const { order_id } = await placedOrder(base);
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/release-remaining-authorization`)).body.error_code,
    ).toBe('NOT_ALLOWED');
    await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 1_000 });
    expect((await klarna(base, 'POST', `${orders}/${order_id}/release-remaining-authorization`)).status).toBe(
      204,
    );
    expect(await read(order_id)).toMatchObject({
      status: 'CAPTURED',
      captured_amount: 1_000,
      remaining_authorized_amount: 0,
    });
  });

  it('answers a repeated Klarna-Idempotency-Key with the first answer, capturing once', async () => {
    const { order_id } = await placedOrder(base);
    const key = `capture-${order_id}`;
    const first = await klarna(
      base,
      'POST',
      `${orders}/${order_id}/captures`,
      { captured_amount: 2_000 },
      { idempotencyKey: key },
    );
    const again = await klarna(
      base,
      'POST',
      `${orders}/${order_id}/captures`,
      { captured_amount: 2_000 },
      { idempotencyKey: key },
    );
    expect(again.status).toBe(201);
    expect(again.headers.get('capture-id')).toBe(first.headers.get('capture-id'));
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    const order = await read(order_id);
    expect(order.captures).toHaveLength(1);
    expect(order.captured_amount).toBe(2_000);
    const ledger = (await control(base, 'GET', `/ledger?order_id=${order_id}`)).body;
    expect(ledger.orders[0].captured_amount).toBe(2_000);
  });

  it('refunds once under one idempotency key, and refuses the key with another request', async () => {
    const { order_id } = await placedOrder(base);
    await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 11_900 });
    const key = `refund-${order_id}`;
    for (let i = 0; i < 3; i++)
      expect(
        (
          await klarna(
            base,
            'POST',
            `${orders}/${order_id}/refunds`,
            { refunded_amount: 500 },
            { idempotencyKey: key },
          )
        ).status,
      ).toBe(201);
    expect((await read(order_id)).refunded_amount).toBe(500);
    const conflict = await klarna(
      base,
      'POST',
      `${orders}/${order_id}/refunds`,
      { refunded_amount: 600 },
      { idempotencyKey: key },
    );
    expect(conflict.status).toBe(409);
    expect(conflict.body.error_code).toBe('CONFLICT');
  });

  it("keeps one merchant's orders from another", async () => {
    const { order_id } = await placedOrder(base);
    const other = `Basic ${Buffer.from('PK_other_merchant:other').toString('base64')}`;
    expect((await klarna(base, 'GET', `${orders}/${order_id}`, undefined, { auth: other })).status).toBe(404);
    expect(
      (await klarna(base, 'POST', `${orders}/${order_id}/captures`, { captured_amount: 1 }, { auth: other }))
        .status,
    ).toBe(404);
  });
});
