import { recoverUnknownOutcomes } from '@payin/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * A shopper sent to a provider's page who never comes back: past the deadline the recovery job
 * asks the provider, cancels the attempt there while it is still waiting, and fails it with
 * `payment_expired`. The payment can be paid again; the old page can move nothing.
 */
let t: TestApi;
let m: TestMerchant;

beforeAll(async () => {
  t = await startTestApi({ PAYIN_SHOPPER_ACTION_DEADLINE_MS: '1000' });
  m = await t.merchant('Deadline Shop');
});
afterAll(async () => {
  await t?.close();
});

const challenge = () =>
  m.post('/v1/payments', {
    amount: 3100,
    currency: 'EUR',
    payment_method: 'pm_card_threeDSecureRequired',
    confirm: true,
  });

describe('the deadline of an action left to the shopper', () => {
  it('keeps a fresh challenge waiting, then expires it once the deadline passed', async () => {
    const created = await challenge();
    expect(created.body.status, created.text).toBe('requires_action');
    await recoverUnknownOutcomes(t.api.core);
    expect((await m.get(`/v1/payments/${created.body.id}`)).body.status).toBe('requires_action');

    await new Promise((resolve) => setTimeout(resolve, 1100));
    await recoverUnknownOutcomes(t.api.core);
    const expired = (await m.get(`/v1/payments/${created.body.id}`)).body;
    expect(expired).toMatchObject({
      status: 'requires_payment_method',
      next_action: null,
      last_error: { code: 'payment_expired' },
    });
    const types = ((await m.get('/v1/events?limit=100')).body.data as any[])
      .filter((e) => e.data.object.id === created.body.id)
      .map((e) => e.type);
    expect(types[0]).toBe('payment.failed');

    // Coming back late from the old challenge changes nothing.
    const attempt = await t.api.core.store.transaction((tx) => tx.currentAttempt(created.body.id));
    const late = await t.request('GET', `/return/${attempt?.id}?sandbox_result=forged`);
    expect(late.status).toBeLessThan(500);
    expect((await m.get(`/v1/payments/${created.body.id}`)).body.status).toBe('requires_payment_method');

    const again = await m.post(`/v1/payments/${created.body.id}/confirm`, { payment_method: 'pm_card_visa' });
    expect(again.body.status).toBe('succeeded');
  });
});
