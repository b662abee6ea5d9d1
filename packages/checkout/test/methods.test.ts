// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckoutError, type CheckoutPayment } from '../src/client.js';
import { catalogues } from '../src/i18n/catalogues.js';
import { methodCatalogues } from '../src/i18n/methods.js';
import { startAuthentication } from '../src/vue/authentication.js';
import PayinCheckout from '../src/vue/PayinCheckout.vue';
import { expectNoAxeViolations } from './axe.js';
import { elementsWithStyle, FakeFields, fakeClient, payment } from './fakes.js';

vi.mock('../src/vue/authentication.js', () => ({ startAuthentication: vi.fn() }));

const base = {
  apiUrl: 'https://api.payin.test',
  publishableKey: 'pk_test_1',
  paymentId: 'pay_1',
  clientSecret: 'pay_1_secret_x',
  vaultUrl: 'https://vault.payin.test',
  returnUrl: 'https://shop.test/order/return',
};

/** A payment of the French market: cards, PayPal, Klarna and Open Banking (name and e-mail first). */
const french = (extra: Partial<CheckoutPayment> = {}) =>
  payment({
    payment_methods: [
      { type: 'card', brands: ['cartes_bancaires', 'visa', 'mastercard'] },
      { type: 'paypal' },
      { type: 'klarna' },
      { type: 'open_banking', billing_details: ['name', 'email'] },
    ],
    ...extra,
  });

const japanese = (extra: Partial<CheckoutPayment> = {}) =>
  payment({
    amount: 12800,
    currency: 'JPY',
    formatted_amount: '￥12,800',
    country: 'JP',
    payment_methods: [
      { type: 'card', brands: ['visa', 'mastercard', 'jcb', 'amex'] },
      { type: 'paypal' },
      { type: 'konbini', billing_details: ['name', 'email', 'phone'] },
      { type: 'paypay' },
    ],
    ...extra,
  });

const voucherOf = (reference: string) =>
  ({
    type: 'display_voucher',
    display_voucher: {
      reference,
      expires_at: 1_900_000_000,
      instructions_url: 'https://emulators.test/adyen/vouchers/123',
      store: null,
    },
  }) as const;

let wrapper: VueWrapper | undefined;
beforeEach(() => {
  document.documentElement.lang = '';
  vi.mocked(startAuthentication).mockClear();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  document.body.replaceChildren();
  vi.useRealTimers();
});

function render(props: Record<string, unknown>) {
  wrapper = mount(PayinCheckout, { props: { ...base, ...props }, attachTo: document.body });
  return wrapper;
}

const status = (w: VueWrapper) => w.get('.payin-visually-hidden[aria-live="polite"]').text();
const radio = (w: VueWrapper, value: string) =>
  w.get<HTMLInputElement>(`input[type="radio"][value="${value}"]`);
const radioLabels = (w: VueWrapper) => w.findAll('.payin-radio__label').map((l) => l.text());
/** The methods' chunk is a module loaded on demand: waits for the panel it renders. */
const panel = async (w: VueWrapper) => {
  await vi.waitFor(() => w.get('.payin-checkout__method'));
  await flushPromises();
  return w.get('.payin-checkout__method');
};
const input = (w: VueWrapper, name: string) => w.get<HTMLInputElement>(`input[name="${name}"]`);

async function choose(w: VueWrapper, value: string) {
  await radio(w, value).setValue(true);
  return panel(w);
}

describe('PayinCheckout: methods other than cards', () => {
  it('lists every offered method by its name in the locale, the brands under the card', async () => {
    const w = render({ locale: 'ja-JP', fields: new FakeFields(), client: fakeClient(japanese()).client });
    await flushPromises();
    expect(radioLabels(w)).toEqual(['クレジットカード', 'PayPal', 'コンビニ払い', 'PayPay']);
    expect(w.get('.payin-radio__description').text()).toBe('Visa, Mastercard, JCB, American Express');
    // The card is chosen first, and nothing of the other methods is loaded for it.
    expect(radio(w, 'card').element.checked).toBe(true);
    expect(w.find('.payin-checkout__method').exists()).toBe(false);

    const fr = render({ locale: 'fr-FR', fields: new FakeFields(), client: fakeClient(french()).client });
    await flushPromises();
    expect(radioLabels(fr)).toEqual(['Carte bancaire', 'PayPal', 'Klarna', 'Virement instantané']);
  });

  it("choosing PayPal: its panel and button in the card frame's place; back to the card, the same frame", async () => {
    const fields = new FakeFields();
    const w = render({ locale: 'en-US', fields, client: fakeClient(french()).client });
    await flushPromises();
    fields.mounts[0]?.fill();
    const frame = w.element.querySelector('.fake-frame');

    const paypal = await choose(w, 'paypal');
    expect(paypal.text()).toContain(methodCatalogues['en-US'].intro.paypal.replace('{amount}', '€49.90'));
    expect(w.get('button[type="submit"]').text()).toBe('Continue with PayPal');
    expect(w.findAll('button[type="submit"]')).toHaveLength(1);
    expect(w.get('.payin-checkout__card').attributes('hidden')).toBeDefined();
    expect(paypal.findAll('input')).toHaveLength(0);
    expect(w.emitted('change')?.at(-1)).toEqual([{ complete: true, method: 'paypal' }]);
    expect(elementsWithStyle(w.element)).toEqual([]);
    await expectNoAxeViolations(w.element);

    await radio(w, 'card').setValue(true);
    await flushPromises();
    expect(w.find('.payin-checkout__method').exists()).toBe(false);
    expect(w.get('.payin-checkout__card').attributes('hidden')).toBeUndefined();
    expect(w.element.querySelector('.fake-frame')).toBe(frame);
    expect(fields.mounts).toHaveLength(1);
    expect(w.get('button[type="submit"]').text()).toBe('Pay €49.90');
  });

  it("Open Banking asks the payer's name and e-mail: labelled, autocompleted, checked before anything is sent", async () => {
    const fake = fakeClient(french());
    const w = render({ locale: 'fr-FR', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await choose(w, 'open_banking');
    const messages = methodCatalogues['fr-FR'];
    const name = input(w, 'name');
    const email = input(w, 'email');
    expect(name.attributes()).toMatchObject({ autocomplete: 'name', type: 'text', required: '' });
    expect(email.attributes()).toMatchObject({ autocomplete: 'email', type: 'email', inputmode: 'email' });
    expect(w.get(`label[for="${name.attributes('id')}"]`).text()).toBe(messages.fieldName);
    expect(w.get(`label[for="${email.attributes('id')}"]`).text()).toBe(messages.fieldEmail);
    expect(w.get('button[type="submit"]').text()).toBe('Continuer vers ma banque');

    // Submitted empty: each field says what it needs, focus on the first; nothing is sent.
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(fake.confirm).not.toHaveBeenCalled();
    expect(name.attributes('aria-invalid')).toBe('true');
    const nameError = w.get(`#${name.attributes('aria-describedby')}`);
    expect(nameError.text()).toBe(messages.requiredName);
    expect(email.attributes('aria-invalid')).toBe('true');
    expect(document.activeElement).toBe(name.element);
    await expectNoAxeViolations(w.element);

    // A wrong address is said when the shopper leaves the field, and announced.
    await name.setValue('Camille Martin');
    expect(name.attributes('aria-invalid')).toBeUndefined();
    await email.setValue('camille@');
    await email.trigger('blur');
    expect(w.get(`#${email.attributes('aria-describedby')}`).text()).toBe(messages.invalidEmail);
    expect(w.get('.payin-checkout__method [aria-live="polite"]').text()).toBe(messages.invalidEmail);
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(fake.confirm).not.toHaveBeenCalled();
    expect(document.activeElement).toBe(email.element);
    await email.setValue('camille@example.fr');
    expect(email.attributes('aria-invalid')).toBeUndefined();
    expect(w.emitted('change')?.at(-1)).toEqual([{ complete: true, method: 'open_banking' }]);
  });

  it("redirect: confirms with payment_method_data, says where it goes, then sends the whole window to the provider's page", async () => {
    const fake = fakeClient(french());
    const url = 'https://truelayer.test/hpp?payment_id=1';
    fake.confirm.mockResolvedValue(
      french({
        status: 'requires_action',
        payment_methods: [],
        next_action: { type: 'redirect_to_url', redirect_to_url: { url, return_url: base.returnUrl } },
      }),
    );
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await choose(w, 'open_banking');
    await input(w, 'name').setValue('  Camille Martin ');
    await input(w, 'email').setValue('camille@example.fr');
    await w.get('form').trigger('submit');
    await flushPromises();

    expect(fake.confirm).toHaveBeenCalledTimes(1);
    expect(fake.confirm).toHaveBeenCalledWith(
      {
        type: 'open_banking',
        billing_details: { name: 'Camille Martin', email: 'camille@example.fr' },
      },
      // The shop's page, not the vault's 3-D Secure completion page.
      { returnUrl: base.returnUrl },
    );
    expect(w.emitted('submit')).toHaveLength(1);
    expect(w.get('.payin-checkout__message').text()).toBe('Taking you to your bank…');
    expect(status(w)).toBe('Taking you to your bank…');
    expect(startAuthentication).toHaveBeenCalledWith(url);
    // Not a 3-D Secure page: no bank frame, no "confirm with your bank".
    expect(w.find('iframe').exists()).toBe(false);
    expect(w.text()).not.toContain(catalogues['en-US'].authenticateTitle);
    await expectNoAxeViolations(w.element);
  });

  it('PayPal asks nothing: confirms with its type alone', async () => {
    const fake = fakeClient(french());
    fake.confirm.mockResolvedValue(
      french({
        status: 'requires_action',
        next_action: {
          type: 'redirect_to_url',
          redirect_to_url: { url: 'https://paypal.test/checkoutnow?token=1', return_url: null },
        },
      }),
    );
    const w = render({ locale: 'es-ES', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await choose(w, 'paypal');
    await w.get('button[type="submit"]').trigger('click');
    await flushPromises();
    expect(fake.confirm).toHaveBeenCalledWith({ type: 'paypal' }, { returnUrl: base.returnUrl });
    expect(w.get('.payin-checkout__message').text()).toBe('Te llevamos a PayPal…');
    expect(startAuthentication).toHaveBeenCalledWith('https://paypal.test/checkoutnow?token=1');
  });

  it("a field the api refuses: its error under it, focus on it, and the method's panel kept", async () => {
    const fake = fakeClient(french());
    fake.confirm.mockRejectedValue(
      new CheckoutError(
        'invalid_request_error',
        'parameter_missing',
        'Missing required parameter: payment_method_data.billing_details.email.',
        undefined,
        400,
        'payment_method_data.billing_details.email',
      ),
    );
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await choose(w, 'open_banking');
    await input(w, 'name').setValue('Camille Martin');
    await input(w, 'email').setValue('camille@example.fr');
    await w.get('form').trigger('submit');
    await flushPromises();
    await vi.waitFor(() => expect(document.activeElement).toBe(input(w, 'email').element));
    expect(w.get('[role="alert"]').text()).toBe(methodCatalogues['en-US'].requiredEmail);
    expect(input(w, 'email').attributes('aria-invalid')).toBe('true');
    expect(radio(w, 'open_banking').element.checked).toBe(true);
  });

  it('a method no longer offered for the order: said plainly, in the form', async () => {
    const fake = fakeClient(french());
    fake.confirm.mockRejectedValue(
      new CheckoutError('invalid_request_error', 'payment_method_unavailable', 'x', undefined, 400),
    );
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await choose(w, 'klarna');
    await w.get('form').trigger('submit');
    await flushPromises();
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toBe("Klarna isn't available for this order. Choose another method.");
    expect(document.activeElement).toBe(alert.element);
    expect(w.emitted('error')?.at(-1)).toEqual([
      { code: 'payment_method_unavailable', message: alert.text() },
    ]);
  });

  it('konbini: name, e-mail and phone, then the voucher (number, amount, deadline, instructions), read until paid', async () => {
    const fake = fakeClient(japanese());
    const waiting = japanese({
      status: 'requires_action',
      payment_methods: [],
      next_action: voucherOf('1234567890123'),
    });
    fake.confirm.mockResolvedValue(waiting);
    const w = render({ locale: 'ja-JP', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await choose(w, 'konbini');
    expect(w.get('button[type="submit"]').text()).toBe('コンビニで支払う');
    const phone = input(w, 'phone');
    expect(phone.attributes()).toMatchObject({ autocomplete: 'tel', type: 'tel', inputmode: 'tel' });
    expect(w.get(`#${phone.attributes('aria-describedby')}`).text()).toBe(
      methodCatalogues['ja-JP'].voucherContactHint,
    );
    await input(w, 'name').setValue('山田 花子');
    await input(w, 'email').setValue('hanako@example.jp');
    await phone.setValue('12');
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(fake.confirm).not.toHaveBeenCalled();
    expect(phone.attributes('aria-invalid')).toBe('true');
    expect(
      phone
        .attributes('aria-describedby')
        ?.split(' ')
        .map((id) => w.get(`#${id}`).text()),
    ).toEqual([methodCatalogues['ja-JP'].voucherContactHint, methodCatalogues['ja-JP'].invalidPhone]);
    await phone.setValue('090-1234-5678');
    // The voucher is read again on a schedule: the clock is the test's from here.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    await w.get('form').trigger('submit');
    await flushPromises();
    expect(fake.confirm).toHaveBeenCalledWith(
      {
        type: 'konbini',
        billing_details: { name: '山田 花子', email: 'hanako@example.jp', phone: '090-1234-5678' },
      },
      { returnUrl: base.returnUrl },
    );

    await vi.waitFor(() => w.get('.payin-checkout__voucher'));
    const voucher = w.get('.payin-checkout__voucher');
    expect(voucher.get('h2').text()).toBe('コンビニでのお支払い');
    expect(document.activeElement).toBe(voucher.get('h2').element);
    expect(voucher.get('.payin-checkout__voucher-reference').text()).toBe('1234567890123');
    expect(voucher.text()).toContain('￥12,800');
    const deadline = new Intl.DateTimeFormat('ja-JP', { dateStyle: 'long', timeStyle: 'short' }).format(
      new Date(1_900_000_000_000),
    );
    expect(voucher.get('time').text()).toBe(deadline);
    expect(voucher.get('time').attributes('datetime')).toBe(new Date(1_900_000_000_000).toISOString());
    expect(voucher.get('a').attributes('href')).toBe('https://emulators.test/adyen/vouchers/123');
    expect(voucher.get('a').text()).toBe('店頭でのお支払い方法');
    expect(voucher.text()).toContain(methodCatalogues['ja-JP'].voucherClose);
    expect(w.find('form').exists()).toBe(false);
    expect(startAuthentication).not.toHaveBeenCalled();
    await expectNoAxeViolations(w.element);

    // Read again until the store has the cash.
    fake.retrieve.mockResolvedValueOnce(waiting).mockResolvedValueOnce(japanese({ status: 'succeeded' }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(w.find('.payin-checkout__voucher').exists()).toBe(true);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(w.find('.payin-checkout__voucher').exists()).toBe(false);
    expect(w.get('.payin-alert--success').text()).toBe(
      '￥12,800のお支払いを受け付けました。ありがとうございました。',
    );
    expect(w.emitted('success')).toHaveLength(1);
  });

  it('a voucher that expires unpaid: back to the form, konbini chosen, the expiry said', async () => {
    const shown = japanese({
      status: 'requires_action',
      payment_methods: [],
      next_action: voucherOf('123456'),
    });
    const fake = fakeClient(shown);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    await vi.waitFor(() => w.get('.payin-checkout__voucher-reference'));
    expect(w.get('.payin-checkout__voucher-reference').text()).toBe('123456');

    fake.retrieve.mockResolvedValue(
      japanese({
        last_error: { type: 'card_error', code: 'payment_expired', message: 'The voucher expired.' },
      }),
    );
    await vi.advanceTimersByTimeAsync(5_000);
    await panel(w);
    expect(radio(w, 'konbini').element.checked).toBe(true);
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toBe(
      'The time to pay with Convenience store (konbini) has run out. Nothing was charged: you can start again.',
    );
    expect(w.emitted('error')?.at(-1)?.[0]).toMatchObject({ code: 'payment_expired' });
    await expectNoAxeViolations(w.element);
  });

  it('back from the provider, canceled: the same method chosen and a message that blames no one', async () => {
    const back = french({
      payment_method_details: { type: 'klarna' },
      last_error: { type: 'card_error', code: 'canceled_by_shopper', message: 'The shopper canceled.' },
    });
    const fields = new FakeFields();
    const w = render({ locale: 'fr-FR', fields, client: fakeClient(back).client });
    await flushPromises();
    await panel(w);
    expect(radio(w, 'klarna').element.checked).toBe(true);
    expect(w.get('button[type="submit"]').text()).toBe('Continuer avec Klarna');
    await vi.waitFor(() => w.get('[role="alert"]'));
    expect(w.get('[role="alert"]').text()).toBe(
      "Le paiement avec Klarna a été annulé. Rien n'a été débité : réessayez ou choisissez un autre moyen de paiement.",
    );
    // The card is still there to switch to.
    expect(fields.mounts).toHaveLength(1);
    await expectNoAxeViolations(w.element);
  });

  it('back from the provider, declined: the message names the method the api names', async () => {
    const back = french({
      payment_method_details: { type: 'paypal' },
      last_error: { type: 'card_error', code: 'payment_declined', message: 'Declined.' },
    });
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fakeClient(back).client });
    await flushPromises();
    await panel(w);
    expect(radio(w, 'paypal').element.checked).toBe(true);
    await vi.waitFor(() => w.get('[role="alert"]'));
    expect(w.get('[role="alert"]').text()).toBe(
      "PayPal couldn't accept this payment. Nothing was charged: choose another method or try again.",
    );
  });

  it('back with the payment processing: the pending message, read again until paid', async () => {
    const fake = fakeClient(
      french({ status: 'processing', payment_methods: [], payment_method_details: { type: 'open_banking' } }),
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await vi.advanceTimersByTimeAsync(0);
    expect(w.get('.payin-checkout__message').text()).toBe(catalogues['en-US'].processing);
    expect(status(w)).toBe(catalogues['en-US'].processing);
    fake.retrieve.mockResolvedValue(french({ status: 'succeeded', payment_methods: [] }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(w.emitted('success')).toHaveLength(1);
    expect(w.find('.payin-alert--success').exists()).toBe(true);
  });

  it("back with the provider's page unfinished: a button to continue there, nothing redirects by itself", async () => {
    const url = 'https://paypal.test/checkoutnow?token=2';
    const loaded = french({
      payment_method_details: { type: 'paypal' },
      status: 'requires_action',
      payment_methods: [],
      next_action: { type: 'redirect_to_url', redirect_to_url: { url, return_url: base.returnUrl } },
    });
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fakeClient(loaded).client });
    await flushPromises();
    await vi.waitFor(() => w.get('.payin-checkout__message'));
    expect(w.get('.payin-checkout__message').text()).toBe("The payment with PayPal isn't finished yet.");
    expect(startAuthentication).not.toHaveBeenCalled();
    await expectNoAxeViolations(w.element);
    await w.get('button').trigger('click');
    expect(startAuthentication).toHaveBeenCalledWith(url);
    expect(w.get('.payin-checkout__message').text()).toBe('Taking you to PayPal…');
  });
});
