import type { Order } from '@payin/provider-wire/klarna';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ON_ACCEPTANCE } from './transformers.js';
import { eventKey, klarnaFact, notifiedOrderId } from './webhooks.js';

const order = (extra: Partial<Order> = {}): Partial<Order> => ({
  order_id: '0b1d9815-165e-42e2-8867-35bc03789e00',
  status: 'AUTHORIZED',
  fraud_status: 'ACCEPTED',
  order_amount: 1_999,
  captured_amount: 0,
  merchant_reference1: 'att_1',
  merchant_reference2: 'pay_1',
  order_lines: [{ name: 'Mug', quantity: 1, unit_price: 1_999, total_amount: 1_999 }],
  ...extra,
});

describe('Klarna notification', () => {
  it('takes only an order id from the body', () => {
    expect(notifiedOrderId({ order_id: 'abc-123', event_type: 'FRAUD_RISK_ACCEPTED' })).toBe('abc-123');
    for (const body of [null, 'x', {}, { order_id: 42 }, { order_id: '' }, { order_id: '../../x' }])
      expect(notifiedOrderId(body)).toBeUndefined();
  });

  it('is one event per order and fraud decision', () => {
    expect(eventKey({ order_id: 'o1', fraud_status: 'ACCEPTED' })).toBe('o1:ACCEPTED');
    expect(eventKey({ order_id: 'o1', fraud_status: 'REJECTED' })).not.toBe(
      eventKey({ order_id: 'o1', fraud_status: 'ACCEPTED' }),
    );
  });
});

describe('klarnaFact', () => {
  it('reads an accepted order as the authorization of the attempt in merchant_reference1', () => {
    expect(klarnaFact(order())).toEqual({
      kind: 'authorization',
      attemptId: 'att_1',
      providerReference: '0b1d9815-165e-42e2-8867-35bc03789e00',
      succeeded: true,
    });
  });

  it('reads a rejected or stopped order as declined', () => {
    expect(klarnaFact(order({ fraud_status: 'REJECTED', status: 'CANCELLED' }))).toMatchObject({
      kind: 'authorization',
      attemptId: 'att_1',
      succeeded: false,
      error: { code: 'payment_declined' },
    });
  });

  it('ignores an order still under review', () => {
    expect(klarnaFact(order({ fraud_status: 'PENDING' }))).toMatchObject({ kind: 'ignored' });
  });

  it('leaves an accepted order of an attempt to capture to the status inquiry until it is captured', () => {
    const lines = [
      {
        name: 'Mug',
        quantity: 1,
        unit_price: 1_999,
        total_amount: 1_999,
        merchant_data: CAPTURE_ON_ACCEPTANCE,
      },
    ];
    expect(klarnaFact(order({ order_lines: lines }))).toMatchObject({ kind: 'ignored' });
    expect(
      klarnaFact(order({ order_lines: lines, captured_amount: 1_999, status: 'CAPTURED' })),
    ).toMatchObject({
      kind: 'authorization',
      succeeded: true,
    });
  });

  it('cannot read what is not an order of payin', () => {
    expect(klarnaFact(null)).toBeUndefined();
    expect(klarnaFact({ order_id: 'o1' })).toBeUndefined();
    expect(klarnaFact(order({ merchant_reference1: undefined }))).toBeUndefined();
  });
});
