import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type TestMerchant } from './harness.js';

/**
 * API.md "Lists": `{"object":"list","data":[…],"has_more":bool}`, newest first in creation order,
 * stable within one second so cursors never skip or repeat, `limit` 1–100 (default 10).
 */

let t: TestApi;

beforeAll(async () => {
  t = await startTestApi();
});
afterAll(async () => {
  await t?.close();
});

type Item = { id: string; created: number };

async function page(m: TestMerchant, path: string) {
  const res = await m.get(path);
  expect(res.status, res.text).toBe(200);
  expect(res.body.object).toBe('list');
  expect(Array.isArray(res.body.data)).toBe(true);
  expect(typeof res.body.has_more).toBe('boolean');
  return res.body as { data: Item[]; has_more: boolean };
}

const ids = (items: Item[]) => items.map((i) => i.id);
const sep = (path: string) => (path.includes('?') ? '&' : '?');

/** Walks a list forwards with starting_after, `size` at a time. */
async function walkForward(m: TestMerchant, path: string, size: number) {
  const pages: Item[][] = [];
  let cursor: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const p = await page(m, `${path}${sep(path)}limit=${size}${cursor ? `&starting_after=${cursor}` : ''}`);
    pages.push(p.data);
    if (!p.has_more) break;
    expect(p.data).toHaveLength(size);
    cursor = p.data[p.data.length - 1]?.id;
  }
  return pages;
}

/** Walks a list backwards with ending_before from `from` (exclusive), `size` at a time. */
async function walkBackward(m: TestMerchant, path: string, size: number, from: string) {
  const pages: Item[][] = [];
  let cursor = from;
  for (let guard = 0; guard < 100; guard++) {
    const p = await page(m, `${path}${sep(path)}limit=${size}&ending_before=${cursor}`);
    pages.push(p.data);
    if (!p.has_more) break;
    expect(p.data).toHaveLength(size);
    cursor = p.data[0]?.id as string;
  }
  return pages;
}

describe('payment lists and cursors', () => {
  let m: TestMerchant;
  const created: string[] = [];

  beforeAll(async () => {
    m = await t.merchant('Lists Shop');
    // Created one after another as fast as possible: many share the same `created` second.
    for (let i = 0; i < 25; i++) {
      const res = await m.post('/v1/payments', { amount: 100 + i, currency: 'EUR', reference: `fast-${i}` });
      expect(res.status).toBe(200);
      created.push(res.body.id);
    }
  });

  it('lists newest first in creation order, also within one second', async () => {
    const all = await page(m, '/v1/payments?limit=100');
    expect(ids(all.data)).toEqual([...created].reverse());
    expect(all.has_more).toBe(false);
    const seconds = all.data.map((p) => p.created);
    expect(seconds).toEqual([...seconds].sort((x, y) => y - x));
    // The premise of the test: several payments were created within the same second.
    expect(new Set(seconds).size).toBeLessThan(seconds.length);
  });

  it('answers 10 by default with has_more, and exactly limit objects when asked', async () => {
    const first = await page(m, '/v1/payments');
    expect(ids(first.data)).toEqual([...created].reverse().slice(0, 10));
    expect(first.has_more).toBe(true);
    const one = await page(m, '/v1/payments?limit=1');
    expect(ids(one.data)).toEqual([created[24]]);
    expect(one.has_more).toBe(true);
    const exact = await page(m, '/v1/payments?limit=25');
    expect(exact.data).toHaveLength(25);
    expect(exact.has_more).toBe(false);
  });

  it('pages forward with starting_after by 7 without skipping or repeating', async () => {
    const pages = await walkForward(m, '/v1/payments', 7);
    expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 4]);
    expect(pages.flat().map((p) => p.id)).toEqual([...created].reverse());
  });

  it('pages backward with ending_before by 7 without skipping or repeating', async () => {
    const oldest = created[0] as string;
    const pages = await walkBackward(m, '/v1/payments', 7, oldest);
    // Each page is itself newest first; pages come oldest-adjacent first.
    const seen = pages
      .reverse()
      .flat()
      .map((p) => p.id);
    expect(seen).toEqual([...created].reverse().slice(0, 24));
    const back = await page(m, `/v1/payments?limit=3&ending_before=${created[10]}`);
    expect(ids(back.data)).toEqual([created[13], created[12], created[11]]);
    expect(back.has_more).toBe(true);
  });

  it('answers an empty last page and has_more false after the oldest object', async () => {
    const last = await page(m, `/v1/payments?starting_after=${created[0]}`);
    expect(last.data).toEqual([]);
    expect(last.has_more).toBe(false);
    const newest = await page(m, `/v1/payments?ending_before=${created[24]}`);
    expect(newest.data).toEqual([]);
    expect(newest.has_more).toBe(false);
  });

  it('never skips or repeats objects created concurrently', async () => {
    const other = await t.merchant('Concurrent Lists');
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => other.post('/v1/payments', { amount: 500 + i, currency: 'USD' })),
    );
    const madeIds = made.map((r) => r.body.id as string);
    const all = ids((await page(other, '/v1/payments?limit=100')).data);
    expect([...all].sort()).toEqual([...madeIds].sort());
    const pages = await walkForward(other, '/v1/payments', 3);
    expect(pages.flat().map((p) => p.id)).toEqual(all);
    const back = await walkBackward(other, '/v1/payments', 3, all[all.length - 1] as string);
    expect(
      back
        .reverse()
        .flat()
        .map((p) => p.id),
    ).toEqual(all.slice(0, -1));
  });
});

describe('list filters', () => {
  let m: TestMerchant;
  const made: Record<string, string> = {};

  beforeAll(async () => {
    m = await t.merchant('Filters Shop');
    const create = async (name: string, body: Record<string, unknown>) => {
      const res = await m.post('/v1/payments', { amount: 1000, currency: 'EUR', ...body });
      made[name] = res.status === 200 ? res.body.id : res.body.error.payment;
    };
    await create('aliceSucceeded', {
      customer: 'alice',
      reference: 'order-1',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    await create('aliceOpen', { customer: 'alice', reference: 'order-2' });
    await create('bobOpen', { customer: 'bob', reference: 'order-1' });
    await create('bobAuthorised', {
      customer: 'bob',
      reference: 'order-3',
      payment_method: 'pm_card_visa',
      capture_method: 'manual',
      confirm: true,
    });
    await create('declined', {
      customer: 'carol',
      reference: 'order-4',
      payment_method: 'pm_card_chargeDeclined',
      confirm: true,
    });
    await create('canceled', { customer: 'carol', reference: 'order-5' });
    expect((await m.post(`/v1/payments/${made.canceled}/cancel`)).status).toBe(200);
  });

  const filtered = async (query: string) => ids((await page(m, `/v1/payments?limit=100&${query}`)).data);

  it('filters payments by customer', async () => {
    expect(await filtered('customer=alice')).toEqual([made.aliceOpen, made.aliceSucceeded]);
    expect(await filtered('customer=bob')).toEqual([made.bobAuthorised, made.bobOpen]);
    expect(await filtered('customer=nobody')).toEqual([]);
  });

  it('filters payments by reference (not unique)', async () => {
    expect(await filtered('reference=order-1')).toEqual([made.bobOpen, made.aliceSucceeded]);
    expect(await filtered('reference=order-3')).toEqual([made.bobAuthorised]);
  });

  it('filters payments by status', async () => {
    expect(await filtered('status=succeeded')).toEqual([made.aliceSucceeded]);
    expect(await filtered('status=requires_capture')).toEqual([made.bobAuthorised]);
    expect(await filtered('status=canceled')).toEqual([made.canceled]);
    expect(await filtered('status=requires_payment_method')).toEqual([
      made.declined,
      made.bobOpen,
      made.aliceOpen,
    ]);
  });

  it('combines filters and pages within the filtered list', async () => {
    expect(await filtered('customer=bob&status=requires_capture')).toEqual([made.bobAuthorised]);
    const first = await page(m, '/v1/payments?status=requires_payment_method&limit=2');
    expect(ids(first.data)).toEqual([made.declined, made.bobOpen]);
    expect(first.has_more).toBe(true);
    const second = await page(
      m,
      `/v1/payments?status=requires_payment_method&limit=2&starting_after=${made.bobOpen}`,
    );
    expect(ids(second.data)).toEqual([made.aliceOpen]);
    expect(second.has_more).toBe(false);
  });

  it('filters refunds by payment', async () => {
    const p1 = (
      await m.post('/v1/payments', {
        amount: 3000,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
      })
    ).body.id;
    const p2 = (
      await m.post('/v1/payments', {
        amount: 3000,
        currency: 'EUR',
        payment_method: 'pm_card_visa',
        confirm: true,
      })
    ).body.id;
    const r1 = (await m.post('/v1/refunds', { payment: p1, amount: 100 })).body.id;
    const r2 = (await m.post('/v1/refunds', { payment: p2, amount: 200 })).body.id;
    const r3 = (await m.post('/v1/refunds', { payment: p1, amount: 300 })).body.id;
    expect(ids((await page(m, `/v1/refunds?payment=${p1}`)).data)).toEqual([r3, r1]);
    expect(ids((await page(m, `/v1/refunds?payment=${p2}`)).data)).toEqual([r2]);
    expect(ids((await page(m, '/v1/refunds?limit=100')).data)).toEqual([r3, r2, r1]);
    expect((await page(m, `/v1/refunds?payment=${made.aliceOpen}`)).data).toEqual([]);
    const paged = await walkForward(m, '/v1/refunds', 2);
    expect(paged.flat().map((r) => r.id)).toEqual([r3, r2, r1]);
  });

  it('filters events by type', async () => {
    const succeeded = (await page(m, '/v1/events?limit=100&type=payment.succeeded')).data as unknown as {
      type: string;
      data: { object: { id: string } };
    }[];
    expect(succeeded.length).toBeGreaterThan(0);
    expect(succeeded.every((e) => e.type === 'payment.succeeded')).toBe(true);
    expect(succeeded.map((e) => e.data.object.id)).toContain(made.aliceSucceeded);
    const canceled = (await page(m, '/v1/events?limit=100&type=payment.canceled')).data as unknown as {
      data: { object: { id: string } };
    }[];
    expect(canceled.map((e) => e.data.object.id)).toEqual([made.canceled]);
    expect((await page(m, '/v1/events?type=dispute.created')).data).toEqual([]);
  });

  it('pages events by 4 without skipping or repeating, though a confirm writes several in one second', async () => {
    const all = (await page(m, '/v1/events?limit=100')).data;
    expect(all.length).toBeGreaterThan(12);
    const pages = await walkForward(m, '/v1/events', 4);
    expect(pages.flat().map((e) => e.id)).toEqual(ids(all));
    const back = await walkBackward(m, '/v1/events', 4, all[all.length - 1]?.id as string);
    expect(
      back
        .reverse()
        .flat()
        .map((e) => e.id),
    ).toEqual(ids(all).slice(0, -1));
  });
});
