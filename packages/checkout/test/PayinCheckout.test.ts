// @vitest-environment happy-dom
import { fieldsAppearance } from '@payin/design-system';
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckoutClient, CheckoutError } from '../src/client.js';
import { catalogues } from '../src/i18n/catalogues.js';
import { startAuthentication } from '../src/vue/authentication.js';
import PayinCheckout from '../src/vue/PayinCheckout.vue';
import { expectNoAxeViolations } from './axe.js';
import { deferred, elementsWithStyle, FakeFields, fakeClient, payment, plain } from './fakes.js';

vi.mock('../src/vue/authentication.js', () => ({ startAuthentication: vi.fn() }));

const base = {
  apiUrl: 'https://api.payin.test',
  publishableKey: 'pk_test_1',
  paymentId: 'pay_1',
  clientSecret: 'pay_1_secret_x',
  vaultUrl: 'https://vault.payin.test',
};

let wrapper: VueWrapper | undefined;
beforeEach(() => {
  document.documentElement.lang = '';
  vi.mocked(startAuthentication).mockClear();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  document.body.replaceChildren();
});

function render(props: Record<string, unknown>) {
  wrapper = mount(PayinCheckout, { props: { ...base, ...props }, attachTo: document.body });
  return wrapper;
}

const status = (w: VueWrapper) => w.get('.payin-visually-hidden[aria-live="polite"]').text();
const payButton = (w: VueWrapper) => w.get<HTMLButtonElement>('button[type="submit"]');

async function submit(w: VueWrapper) {
  await payButton(w).trigger('click');
  await flushPromises();
}

describe('PayinCheckout', () => {
  it('shows skeletons at the final heights while loading, then the form with the vault fields', async () => {
    const loading = deferred<ReturnType<typeof payment>>();
    const fields = new FakeFields();
    const { client } = fakeClient(loading.promise);
    const w = render({ locale: 'en-US', fields, client });
    await flushPromises();

    expect(w.find('form').exists()).toBe(false);
    expect(status(w)).toBe(catalogues['en-US'].loading);
    const skeletonFields = w.findAll('.payin-checkout__fields .payin-skeleton--card-field');
    expect(skeletonFields).toHaveLength(3);
    expect(w.find('.payin-checkout__skeleton-method').exists()).toBe(true);
    expect(w.find('.payin-skeleton--control').exists()).toBe(true);
    expect(fields.mounts).toHaveLength(0);

    loading.resolve(payment());
    await flushPromises();
    expect(w.find('.payin-checkout__skeleton-method').exists()).toBe(false);
    expect(w.get('[role="radiogroup"]').text()).toContain('Cartes Bancaires, Visa, Mastercard');
    // The card in one frame, in a container of the loading skeleton's height.
    const card = w.get('.payin-checkout__card');
    expect(fields.mounts).toHaveLength(1);
    const mounted = fields.mounts[0];
    expect(mounted?.options).toMatchObject({
      vaultUrl: base.vaultUrl,
      publishableKey: base.publishableKey,
      locale: 'en-US',
      appearance: fieldsAppearance(),
    });
    const container = card.get('.payin-checkout__frame').element;
    expect(mounted?.options.fields).toEqual({ number: container, expiry: container, cvc: container });
    expect(card.findAll('.fake-frame').map((f) => f.attributes('data-fields'))).toEqual([
      'number expiry cvc',
    ]);
    // A placeholder, the loading skeleton's three cells, covers the frame until it reports ready.
    expect(card.findAll('.payin-checkout__frame-placeholder .payin-skeleton--card-field')).toHaveLength(3);
    mounted?.fill();
    await flushPromises();
    expect(card.find('.payin-checkout__frame-placeholder').exists()).toBe(false);
    expect(w.emitted('ready')).toEqual([[payment()]]);
    expect(w.emitted('change')).toEqual([[{ complete: true, method: 'card' }]]);
    expect(payButton(w).text()).toBe('Pay €49.90');
    expect(elementsWithStyle(w.element)).toEqual([]);
  });

  it('asks the api for the amount in its locale (fr-FR prop, ja-JP from the page) and shows it', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        const locale = new URL(url).searchParams.get('locale') ?? '';
        asked.push(locale);
        return Response.json(
          locale === 'ja-JP'
            ? payment({
                amount: 12800,
                currency: 'JPY',
                formatted_amount: '￥12,800',
                payment_methods: [{ type: 'card', brands: ['jcb'] }],
              })
            : payment({ formatted_amount: '49,90\u00a0€' }),
        );
      }),
    );
    try {
      const fr = render({ locale: 'fr-FR', fields: new FakeFields() });
      await flushPromises();
      expect(plain(payButton(fr).text())).toBe('Payer 49,90 €');
      expect(fr.get('.payin-checkout').attributes('lang')).toBe('fr-FR');
      fr.unmount();

      document.documentElement.lang = 'ja';
      const ja = render({ fields: new FakeFields() });
      await flushPromises();
      expect(payButton(ja).text()).toBe('￥12,800を支払う');
      expect(ja.get('[role="radiogroup"]').text()).toContain('JCB');
      expect(asked).toEqual(['fr-FR', 'ja-JP']);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('a decline: localized alert with focus, the fields kept; another card then succeeds', async () => {
    const requests: { url: string; body: unknown }[] = [];
    const answers = [
      {
        status: 402,
        body: {
          error: {
            type: 'card_error',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Insufficient funds.',
          },
        },
      },
      { status: 200, body: payment({ status: 'succeeded', formatted_amount: '49,90 €' }) },
    ];
    const fetch = vi.fn(async (url: string, init?: RequestInit) => {
      if (init?.method === 'GET') return Response.json(payment({ formatted_amount: '49,90 €' }));
      requests.push({ url, body: JSON.parse(String(init?.body)) });
      const answer = answers.shift();
      return Response.json(answer?.body, { status: answer?.status ?? 500 });
    });
    const client = new CheckoutClient({ ...base, fetch: fetch as unknown as typeof globalThis.fetch });
    const fields = new FakeFields().token('tok_declined').token('tok_other');
    const w = render({ locale: 'fr-FR', fields, client, returnUrl: 'https://shop.test/order' });
    await flushPromises();
    fields.mounts[0]?.fill();
    const frames = [...w.element.querySelectorAll('.fake-frame')];
    expect(frames).toHaveLength(1);

    await submit(w);
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toBe(catalogues['fr-FR'].declines.insufficient_funds);
    expect(document.activeElement).toBe(alert.element);
    expect(w.emitted('submit')).toHaveLength(1);
    expect(w.emitted('error')).toEqual([
      [
        {
          code: 'card_declined',
          declineCode: 'insufficient_funds',
          message: catalogues['fr-FR'].declines.insufficient_funds,
        },
      ],
    ]);
    // The same mount, the same iframes: what the shopper typed is still there.
    expect(fields.mounts).toHaveLength(1);
    expect(fields.mounts[0]?.destroyed).toBe(false);
    expect([...w.element.querySelectorAll('.fake-frame')]).toEqual(frames);
    expect(plain(payButton(w).text())).toBe('Payer 49,90 €');
    // The vault's completion page, for a challenge in the page; it carries the shop's page.
    expect(requests[0]?.body).toMatchObject({
      payment_method: 'tok_declined',
      return_url: `${base.vaultUrl}/v1/challenge/complete?key=pk_test_1&origin=http%3A%2F%2Flocalhost%3A3000&locale=fr-FR&return_url=https%3A%2F%2Fshop.test%2Forder`,
    });
    await expectNoAxeViolations(w.element);

    await submit(w);
    expect(requests.map((r) => (r.body as { payment_method: string }).payment_method)).toEqual([
      'tok_declined',
      'tok_other',
    ]);
    expect(w.emitted('success')).toEqual([[payment({ status: 'succeeded', formatted_amount: '49,90 €' })]]);
    expect(plain(w.get('.payin-alert--success').text())).toBe('Paiement de 49,90 € reçu. Merci !');
    expect(plain(status(w))).toBe('Paiement de 49,90 € reçu. Merci !');
    expect(w.find('[role="alert"]').exists()).toBe(false);
    expect(fields.mounts[0]?.destroyed).toBe(true);
    await expectNoAxeViolations(w.element);
  });

  it('submits once on a double click; the button is busy meanwhile', async () => {
    const tokenized = deferred<unknown>();
    const fields = new FakeFields();
    fields.tokens.push(() => tokenized.promise);
    const fake = fakeClient();
    fake.confirm.mockResolvedValue(payment({ status: 'succeeded' }));
    const w = render({ locale: 'en-US', fields, client: fake.client });
    await flushPromises();
    fields.mounts[0]?.fill();

    await payButton(w).trigger('click');
    await payButton(w).trigger('click');
    await w.get('form').trigger('submit');
    expect(payButton(w).attributes('aria-busy')).toBe('true');
    expect(payButton(w).text()).toBe('Paying €49.90…');
    expect(status(w)).toBe('Paying €49.90…');
    tokenized.resolve({ id: 'tok_1' });
    await flushPromises();
    expect(fields.mounts[0]?.tokenizeCalls).toBe(1);
    expect(fake.confirm).toHaveBeenCalledTimes(1);
    expect(fake.confirm).toHaveBeenCalledWith('tok_1', {
      returnUrl: expect.stringMatching(/^https:\/\/vault\.payin\.test\/v1\/challenge\/complete\?/),
    });
    expect(w.emitted('submit')).toHaveLength(1);
    expect(w.emitted('success')).toHaveLength(1);
  });

  it('requires_action: the redirect function is given the bank page', async () => {
    const fields = new FakeFields().token('tok_3ds');
    const fake = fakeClient();
    const url = 'https://bank.test/3ds?attempt=1';
    fake.confirm.mockResolvedValue(
      payment({
        status: 'requires_action',
        next_action: { type: 'redirect_to_url', redirect_to_url: { url, return_url: 'https://shop.test/o' } },
      }),
    );
    const w = render({ locale: 'es-ES', fields, client: fake.client });
    await flushPromises();
    fields.mounts[0]?.fill();
    await submit(w);
    expect(startAuthentication).toHaveBeenCalledWith(url);
    expect(status(w)).toBe(catalogues['es-ES'].authenticate);
  });

  it('back from the bank with the challenge still open: a button continues, nothing redirects by itself', async () => {
    const url = 'https://bank.test/3ds';
    const loaded = payment({
      status: 'requires_action',
      next_action: { type: 'redirect_to_url', redirect_to_url: { url, return_url: null } },
    });
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fakeClient(loaded).client });
    await flushPromises();
    expect(startAuthentication).not.toHaveBeenCalled();
    await w.get('button').trigger('click');
    expect(startAuthentication).toHaveBeenCalledWith(url);
    await expectNoAxeViolations(w.element);
  });

  it('a confirmation answered with the payment back to a card and its last error: the decline alert', async () => {
    const fields = new FakeFields().token('tok_1');
    const fake = fakeClient();
    fake.confirm.mockResolvedValue(
      payment({
        last_error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'expired_card',
          message: 'Expired.',
        },
      }),
    );
    const w = render({ locale: 'en-US', fields, client: fake.client });
    await flushPromises();
    await submit(w);
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toBe(catalogues['en-US'].declines.expired_card);
    expect(document.activeElement).toBe(alert.element);
    expect(fields.mounts[0]?.destroyed).toBe(false);
  });

  it('back on the page after paying: the success message and the success event, no form', async () => {
    const fields = new FakeFields();
    const paid = payment({ status: 'succeeded' });
    const w = render({ locale: 'en-US', fields, client: fakeClient(paid).client });
    await flushPromises();
    expect(w.emitted('success')).toEqual([[paid]]);
    expect(w.find('form').exists()).toBe(false);
    expect(fields.mounts).toHaveLength(0);
  });

  it('processing: says the outcome comes later', async () => {
    const fields = new FakeFields().token('tok_1');
    const fake = fakeClient();
    fake.confirm.mockResolvedValue(payment({ status: 'processing' }));
    const w = render({ locale: 'en-US', fields, client: fake.client });
    await flushPromises();
    fields.mounts[0]?.fill();
    await submit(w);
    expect(w.get('.payin-checkout__message').text()).toBe(catalogues['en-US'].processing);
    expect(status(w)).toBe(catalogues['en-US'].processing);
    expect(w.emitted('success')).toBeUndefined();
    expect(fields.mounts[0]?.destroyed).toBe(true);
  });

  it("a field's refusal from tokenize: its message in the alert, no confirmation", async () => {
    const fields = new FakeFields();
    fields.tokens.push(() =>
      Promise.reject({
        type: 'validation_error',
        code: 'incomplete_number',
        message: 'Le numéro de carte est incomplet.',
        param: 'card[number]',
      }),
    );
    const fake = fakeClient();
    const w = render({ locale: 'fr-FR', fields, client: fake.client });
    await flushPromises();
    await submit(w);
    expect(w.get('[role="alert"]').text()).toBe('Le numéro de carte est incomplet.');
    expect(fake.confirm).not.toHaveBeenCalled();
    expect(w.emitted('error')?.[0]).toEqual([
      { code: 'incomplete_number', message: 'Le numéro de carte est incomplet.' },
    ]);
  });

  it('a lost connection while confirming: the network message, the form usable again', async () => {
    const fields = new FakeFields().token('tok_1');
    const fake = fakeClient();
    fake.confirm.mockRejectedValue(new CheckoutError('api_error', 'network_error', 'The connection failed.'));
    const w = render({ locale: 'en-US', fields, client: fake.client });
    await flushPromises();
    await submit(w);
    expect(w.get('[role="alert"]').text()).toBe(catalogues['en-US'].networkError);
    expect(payButton(w).attributes('aria-busy')).toBeUndefined();
  });

  it('unavailable: the load error in an alert, and an error event', async () => {
    const fake = fakeClient(Promise.reject(new CheckoutError('api_error', 'network_error', 'x')));
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    expect(w.get('[role="alert"]').text()).toBe(catalogues['en-US'].loadFailed);
    expect(w.emitted('error')).toEqual([
      [{ code: 'network_error', message: catalogues['en-US'].loadFailed }],
    ]);
    await expectNoAxeViolations(w.element);
  });

  it('unavailable without the vault script: it never loads one itself', async () => {
    const fake = fakeClient();
    const w = render({ locale: 'en-US', client: fake.client });
    await flushPromises();
    expect(fake.retrieve).not.toHaveBeenCalled();
    expect(w.get('[role="alert"]').text()).toBe(catalogues['en-US'].loadFailed);
    expect(document.querySelector('script')).toBeNull();
  });

  it('uses window.PayinFields by default', async () => {
    const fields = new FakeFields();
    window.PayinFields = fields;
    try {
      render({ locale: 'en-US', client: fakeClient().client });
      await flushPromises();
      expect(fields.mounts).toHaveLength(1);
    } finally {
      delete window.PayinFields;
    }
  });

  it('keyboard: one stop for the methods, then the card frame (its fields in order inside), then the pay button', async () => {
    const fields = new FakeFields();
    const w = render({ locale: 'en-US', fields, client: fakeClient().client });
    await flushPromises();
    fields.mounts[0]?.fill();
    await flushPromises();
    // The methods are native radios of one name: the browser makes the checked one the group's only stop.
    const stops = [...w.element.querySelectorAll('[tabindex="0"], button, input:not([tabindex="-1"])')]
      .filter((el) => !el.closest('[aria-hidden="true"]'))
      .filter((el) => !(el instanceof HTMLInputElement && el.type === 'radio' && !el.checked))
      .map((el) => el.getAttribute('data-fields') ?? el.getAttribute('type') ?? el.tagName.toLowerCase());
    expect(stops).toEqual(['radio', 'number expiry cvc', 'submit']);
    // Enter on the focused pay button submits the form (a native submit button).
    expect(payButton(w).element.form).toBe(w.get('form').element);
  });

  it('has no axe violations while loading and when ready', async () => {
    const loading = deferred<ReturnType<typeof payment>>();
    const fields = new FakeFields();
    const w = render({ locale: 'ja-JP', fields, client: fakeClient(loading.promise).client });
    await flushPromises();
    await expectNoAxeViolations(w.element);
    loading.resolve(payment());
    await flushPromises();
    await expectNoAxeViolations(w.element);
    fields.mounts[0]?.fill();
    await flushPromises();
    await expectNoAxeViolations(w.element);
  });

  it('destroys the fields when it is unmounted', async () => {
    const fields = new FakeFields();
    const w = render({ locale: 'en-US', fields, client: fakeClient().client });
    await flushPromises();
    w.unmount();
    wrapper = undefined;
    expect(fields.mounts[0]?.destroyed).toBe(true);
  });
});
