// @vitest-environment happy-dom
import { flushPromises } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import PayinCheckoutDefault, { PayinCheckout } from '../src/loader.js';
import { FakeFields, fakeClient, payment } from './fakes.js';

const options = {
  apiUrl: 'https://api.payin.test',
  publishableKey: 'pk_test_1',
  paymentId: 'pay_1',
  clientSecret: 'pay_1_secret_x',
  vaultUrl: 'https://vault.payin.test',
  locale: 'en-US',
};

afterEach(() => document.body.replaceChildren());

describe('PayinCheckout.mount (pages without Vue)', () => {
  it('mounts into a selector, relays events to on() handlers, and destroys', async () => {
    document.body.innerHTML = '<main><div id="checkout"></div></main>';
    const fields = new FakeFields().token('tok_1');
    const fake = fakeClient();
    fake.confirm.mockResolvedValue(payment({ status: 'succeeded' }));
    const checkout = PayinCheckout.mount('#checkout', { ...options, fields, client: fake.client });
    const ready = vi.fn();
    const success = vi.fn();
    const submit = vi.fn();
    const removed = vi.fn();
    checkout.on('ready', ready);
    checkout.on('success', success);
    checkout.on('submit', submit);
    const off = checkout.on('success', removed);
    off();
    await flushPromises();
    fields.mounts[0]?.fill();
    expect(ready).toHaveBeenCalledWith(payment());
    document.querySelector<HTMLButtonElement>('#checkout button[type="submit"]')?.click();
    await flushPromises();
    expect(submit).toHaveBeenCalledTimes(1);
    expect(success).toHaveBeenCalledWith(payment({ status: 'succeeded' }));
    expect(removed).not.toHaveBeenCalled();

    checkout.destroy();
    checkout.destroy();
    expect(document.querySelector('#checkout')?.children).toHaveLength(0);
    expect(fields.mounts[0]?.destroyed).toBe(true);
  });

  it('sets an id prefix per app, so two checkouts on a page have distinct ids', async () => {
    document.body.innerHTML = '<div id="a"></div><div id="b"></div>';
    const a = PayinCheckout.mount('#a', {
      ...options,
      fields: new FakeFields(),
      client: fakeClient().client,
    });
    const b = PayinCheckoutDefault.mount(document.querySelector('#b') as Element, {
      ...options,
      fields: new FakeFields(),
      client: fakeClient().client,
      idPrefix: 'shop-',
    });
    await flushPromises();
    const ids = [...document.querySelectorAll('[id]')]
      .map((el) => el.id)
      .filter((id) => id !== 'a' && id !== 'b');
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.querySelector('#b [id]')?.id).toMatch(/shop-/);
    expect(document.querySelector('#a [id]')?.id).toMatch(/payin-checkout-\d+-/);
    a.destroy();
    b.destroy();
  });

  it('throws for a target that is not on the page', () => {
    expect(() => PayinCheckout.mount('#missing', options)).toThrow(/#missing/);
  });
});
