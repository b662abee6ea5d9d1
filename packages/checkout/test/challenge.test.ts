// @vitest-environment happy-dom
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckoutError, type CheckoutPayment } from '../src/client.js';
import { catalogues } from '../src/i18n/catalogues.js';
import { startAuthentication } from '../src/vue/authentication.js';
import { challengeWindowSize } from '../src/vue/challenge.js';
import PayinCheckout from '../src/vue/PayinCheckout.vue';
import { expectNoAxeViolations } from './axe.js';
import { deferred, elementsWithStyle, FakeFields, fakeClient, payment } from './fakes.js';

vi.mock('../src/vue/authentication.js', () => ({ startAuthentication: vi.fn() }));

const VAULT = 'https://vault.payin.test';
const BANK = 'https://bank.test/3ds?token=t1';
const SHOP_RETURN = 'https://shop.test/order';
// happy-dom's page.
const PAGE_ORIGIN = 'http://localhost:3000';

const base = {
  apiUrl: 'https://api.payin.test',
  publishableKey: 'pk_test_1',
  paymentId: 'pay_1',
  clientSecret: 'pay_1_secret_x',
  vaultUrl: VAULT,
  returnUrl: SHOP_RETURN,
};

const completeUrl = (locale = 'en-US') =>
  `${VAULT}/v1/challenge/complete?${new URLSearchParams({ key: 'pk_test_1', origin: PAGE_ORIGIN, locale, return_url: SHOP_RETURN })}`;

/** The payment as the api answers a confirmation that needs the bank: its return_url is the one sent. */
const challenged = (returnUrl: string | null): CheckoutPayment =>
  payment({
    status: 'requires_action',
    next_action: { type: 'redirect_to_url', redirect_to_url: { url: BANK, return_url: returnUrl } },
    return_url: returnUrl,
  });

const declined = payment({
  last_error: {
    type: 'card_error',
    code: 'authentication_failed',
    decline_code: 'authentication_required',
    message: 'The cardholder was not authenticated.',
  },
});

// happy-dom loads no frame (it logs "Iframe page loading is disabled" for each), so an iframe
// has no window: give each one a stand-in, as a browser would.
const frameWindows = new WeakMap<HTMLIFrameElement, object>();
const contentWindow = Object.getOwnPropertyDescriptor(HTMLIFrameElement.prototype, 'contentWindow');
beforeAll(() => {
  Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', {
    configurable: true,
    get(this: HTMLIFrameElement) {
      if (!frameWindows.has(this)) frameWindows.set(this, { frame: this.src });
      return frameWindows.get(this);
    },
  });
});
afterAll(() => {
  if (contentWindow) Object.defineProperty(HTMLIFrameElement.prototype, 'contentWindow', contentWindow);
});

/** axe-core on the frame elements (the bank's page is the vault's and the bank's to check). */
const expectAccessible = (element: Element) => expectNoAxeViolations(element, { iframes: false });

let width = 520;
let wrapper: VueWrapper | undefined;
beforeEach(() => {
  width = 520;
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockImplementation(() => width);
  vi.mocked(startAuthentication).mockClear();
});
afterEach(() => {
  wrapper?.unmount();
  wrapper = undefined;
  document.body.replaceChildren();
  vi.useRealTimers();
  vi.restoreAllMocks();
});

function render(props: Record<string, unknown>) {
  wrapper = mount(PayinCheckout, { props: { ...base, ...props }, attachTo: document.body });
  return wrapper;
}

const status = (w: VueWrapper) => w.get('.payin-visually-hidden[aria-live="polite"]').text();
const bankFrame = (w: VueWrapper) => w.find<HTMLIFrameElement>('iframe.payin-checkout__challenge-window');

/** Loads the form, pays, and gets the bank's page back from the confirmation. */
async function payIntoChallenge(props: Record<string, unknown> = {}) {
  const fields = new FakeFields().token('tok_3ds').token('tok_again');
  const fake = fakeClient();
  fake.confirm.mockImplementation(async (_pm, opts) => challenged(opts?.returnUrl ?? null));
  const w = render({ locale: 'en-US', fields, client: fake.client, ...props });
  await flushPromises();
  fields.mounts[0]?.fill();
  await w.get('button[type="submit"]').trigger('click');
  await flushPromises();
  return { w, fields, fake };
}

/** What the vault's container posts to the checkout when the bank's frame is done. */
function post(data: unknown, opts: { origin?: string; source?: unknown } = {}) {
  const frame = document.querySelector('iframe');
  const source = 'source' in opts ? opts.source : frame?.contentWindow;
  window.dispatchEvent(
    new MessageEvent('message', { data, origin: opts.origin ?? VAULT, source: source as Window }),
  );
}

const complete = { type: 'payin:challenge-complete' };

describe('3-D Secure in the page', () => {
  it("confirms with the vault's completion page, then holds the bank's page in the vault's container", async () => {
    const { w, fields, fake } = await payIntoChallenge();
    expect(fake.confirm).toHaveBeenCalledWith('tok_3ds', { returnUrl: completeUrl() });

    const frame = bankFrame(w);
    expect(frame.exists()).toBe(true);
    expect(frame.attributes('src')).toBe(
      `${VAULT}/v1/challenge?${new URLSearchParams({ url: BANK, key: 'pk_test_1', origin: PAGE_ORIGIN, locale: 'en-US' })}`,
    );
    expect(frame.attributes('title')).toBe(catalogues['en-US'].authenticateFrame);
    expect(frame.classes()).toContain('payin-checkout__challenge-window--03');
    const heading = w.get('h2');
    expect(heading.text()).toBe(catalogues['en-US'].authenticateTitle);
    expect(heading.attributes('tabindex')).toBe('-1');
    expect(document.activeElement).toBe(heading.element);
    expect(status(w)).toBe(catalogues['en-US'].authenticate);
    expect(startAuthentication).not.toHaveBeenCalled();
    expect(w.find('form').exists()).toBe(false);
    expect(fields.mounts[0]?.destroyed).toBe(true);
    expect(elementsWithStyle(w.element)).toEqual([]);
    await expectAccessible(w.element);
  });

  it('sizes the window to the width the checkout has, measured when the challenge starts', async () => {
    width = 320;
    const { w } = await payIntoChallenge({ locale: 'ja-JP' });
    expect(bankFrame(w).classes()).toContain('payin-checkout__challenge-window--05');
    expect(bankFrame(w).attributes('title')).toBe(catalogues['ja-JP'].authenticateFrame);
    expect(w.get('h2').text()).toBe(catalogues['ja-JP'].authenticateTitle);
  });

  it.each([
    [1200, '03'],
    [500, '03'],
    [499, '02'],
    [390, '02'],
    [389, '05'],
    [328, '05'],
    [249, '05'],
    [0, '05'],
  ] as const)('at %i px takes EMV window %s', (available, size) => {
    expect(challengeWindowSize(available)).toBe(size);
  });

  it('ignores a message from another origin, another window, or of another type', async () => {
    const { w, fake } = await payIntoChallenge();
    const reads = fake.retrieve.mock.calls.length;
    post(complete, { origin: 'https://bank.test' });
    post(complete, { origin: 'https://evil.test' });
    post(complete, { source: window });
    post(complete, { source: null });
    post({ type: 'payin:challenge-completed' });
    post('payin:challenge-complete');
    post(null);
    await flushPromises();
    expect(fake.retrieve).toHaveBeenCalledTimes(reads);
    expect(bankFrame(w).exists()).toBe(true);
  });

  it("the vault's message: the frame goes, the payment is read, and its success shown", async () => {
    const { w, fake } = await payIntoChallenge();
    const read = deferred<CheckoutPayment>();
    fake.retrieve.mockReturnValueOnce(read.promise);
    post(complete);
    await flushPromises();
    expect(bankFrame(w).exists()).toBe(false);
    const checking = w.get('.payin-checkout__message');
    expect(checking.text()).toBe(catalogues['en-US'].checking);
    // The frame that had focus is gone; focus stays in the checkout.
    expect(document.activeElement).toBe(checking.element);
    await expectAccessible(w.element);

    const paid = payment({ status: 'succeeded' });
    read.resolve(paid);
    await flushPromises();
    expect(w.emitted('success')).toEqual([[paid]]);
    expect(w.find('.payin-alert--success').exists()).toBe(true);
    // A second message changes nothing.
    post(complete);
    await flushPromises();
    expect(w.emitted('success')).toHaveLength(1);
  });

  it('a failed authentication: back to the form, the decline alert focused, new card fields to pay again', async () => {
    const { w, fields, fake } = await payIntoChallenge({ locale: 'fr-FR' });
    fake.retrieve.mockResolvedValueOnce(declined);
    post(complete);
    await flushPromises();
    const alert = w.get('[role="alert"]');
    expect(alert.text()).toBe(catalogues['fr-FR'].declines.authentication_required);
    expect(document.activeElement).toBe(alert.element);
    expect(w.emitted('error')).toEqual([
      [
        {
          code: 'authentication_failed',
          declineCode: 'authentication_required',
          message: catalogues['fr-FR'].declines.authentication_required,
        },
      ],
    ]);
    // The first frame went with the form; a new one is mounted, a placeholder over it until ready.
    expect(fields.mounts).toHaveLength(2);
    expect(fields.mounts[1]?.destroyed).toBe(false);
    expect(w.findAll('.payin-checkout__frame-placeholder')).toHaveLength(1);
    fields.mounts[1]?.fill();
    await flushPromises();
    await w.get('button[type="submit"]').trigger('click');
    await flushPromises();
    expect(fake.confirm).toHaveBeenLastCalledWith('tok_again', { returnUrl: completeUrl('fr-FR') });
    expect(bankFrame(w).exists()).toBe(true);
  });

  it('processing after the challenge: reads again after 2 s, then less often, until the outcome', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { w, fake } = await payIntoChallenge();
    fake.retrieve.mockResolvedValue(payment({ status: 'processing' }));
    post(complete);
    await flushPromises();
    expect(w.get('.payin-checkout__message').text()).toBe(catalogues['en-US'].processing);
    const reads = fake.retrieve.mock.calls.length;

    await vi.advanceTimersByTimeAsync(1_999);
    expect(fake.retrieve).toHaveBeenCalledTimes(reads);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.retrieve).toHaveBeenCalledTimes(reads + 1);
    // Then 3 s.
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fake.retrieve).toHaveBeenCalledTimes(reads + 1);
    const paid = payment({ status: 'requires_capture' });
    fake.retrieve.mockResolvedValue(paid);
    await vi.advanceTimersByTimeAsync(1);
    expect(fake.retrieve).toHaveBeenCalledTimes(reads + 2);
    expect(w.emitted('success')).toEqual([[paid]]);
    // Settled: no more reads.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.retrieve).toHaveBeenCalledTimes(reads + 2);
  });

  it('stops asking after two minutes at most every 5 s, read failures included', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { w, fake } = await payIntoChallenge();
    fake.retrieve.mockResolvedValueOnce(payment({ status: 'processing' }));
    fake.retrieve.mockRejectedValue(new CheckoutError('api_error', 'network_error', 'down'));
    post(complete);
    await flushPromises();
    const reads = fake.retrieve.mock.calls.length;
    await vi.advanceTimersByTimeAsync(15_000);
    // 2 s, 3 s, 4.5 s, then every 5 s.
    expect(fake.retrieve.mock.calls.length - reads).toBe(4);
    await vi.advanceTimersByTimeAsync(110_000);
    const inTwoMinutes = fake.retrieve.mock.calls.length;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(fake.retrieve).toHaveBeenCalledTimes(inTwoMinutes);
    expect(inTwoMinutes - reads).toBe(26);
    expect(w.get('.payin-checkout__message').text()).toBe(catalogues['en-US'].processing);
  });

  it('a read that fails right after the challenge: processing, and the next read finds the outcome', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { w, fake } = await payIntoChallenge();
    fake.retrieve.mockRejectedValueOnce(new CheckoutError('api_error', 'network_error', 'down'));
    post(complete);
    await flushPromises();
    expect(status(w)).toBe(catalogues['en-US'].processing);
    fake.retrieve.mockResolvedValueOnce(payment({ status: 'succeeded' }));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(w.emitted('success')).toHaveLength(1);
  });

  it("offers the bank's page in the whole window, for a bank whose page cannot be framed", async () => {
    const { w } = await payIntoChallenge();
    const wholeWindow = w.get('button.payin-checkout__challenge-redirect');
    expect(wholeWindow.text()).toBe(catalogues['en-US'].authenticateElsewhere);
    await wholeWindow.trigger('click');
    expect(startAuthentication).toHaveBeenCalledWith(BANK);
  });

  it('stops listening once unmounted', async () => {
    const { w, fake } = await payIntoChallenge();
    const reads = fake.retrieve.mock.calls.length;
    const frameWindow = bankFrame(w).element.contentWindow;
    w.unmount();
    wrapper = undefined;
    post(complete, { source: frameWindow });
    await flushPromises();
    expect(fake.retrieve).toHaveBeenCalledTimes(reads);
  });

  it("authentication: 'redirect' confirms with the merchant's page and sends the window to the bank", async () => {
    const { w, fake } = await payIntoChallenge({ authentication: 'redirect' });
    expect(fake.confirm).toHaveBeenCalledWith('tok_3ds', { returnUrl: SHOP_RETURN });
    expect(startAuthentication).toHaveBeenCalledWith(BANK);
    expect(w.find('iframe').exists()).toBe(false);
  });

  it("without the merchant's return URL, the fallback comes back to the payment's own, else this page", async () => {
    const fake = fakeClient(payment({ return_url: 'https://shop.test/from-server' }));
    fake.confirm.mockImplementation(async (_pm, opts) => challenged(opts?.returnUrl ?? null));
    const fields = new FakeFields().token('tok_1');
    const w = render({ locale: 'en-US', fields, client: fake.client, returnUrl: undefined });
    await flushPromises();
    await w.get('button[type="submit"]').trigger('click');
    await flushPromises();
    const sent = new URL(fake.confirm.mock.calls[0]?.[1]?.returnUrl ?? '');
    expect(sent.searchParams.get('return_url')).toBe('https://shop.test/from-server');
    w.unmount();

    const bare = fakeClient();
    bare.confirm.mockImplementation(async (_pm, opts) => challenged(opts?.returnUrl ?? null));
    const again = render({
      locale: 'en-US',
      fields: new FakeFields().token('tok_2'),
      client: bare.client,
      returnUrl: undefined,
    });
    await flushPromises();
    await again.get('button[type="submit"]').trigger('click');
    await flushPromises();
    const fromPage = new URL(bare.confirm.mock.calls[0]?.[1]?.returnUrl ?? '');
    expect(fromPage.searchParams.get('return_url')).toBe(window.location.href.replace(/#.*$/, ''));
  });

  it('loaded again with the challenge open in the page: the frame again, nothing redirects', async () => {
    const w = render({
      locale: 'en-US',
      fields: new FakeFields(),
      client: fakeClient(challenged(completeUrl())).client,
    });
    await flushPromises();
    expect(bankFrame(w).exists()).toBe(true);
    expect(startAuthentication).not.toHaveBeenCalled();
  });

  it("loaded again with a challenge that returns to the merchant's page: the button, as before", async () => {
    const w = render({
      locale: 'en-US',
      fields: new FakeFields(),
      client: fakeClient(challenged(SHOP_RETURN)).client,
    });
    await flushPromises();
    expect(w.find('iframe').exists()).toBe(false);
    await w.get('button').trigger('click');
    expect(startAuthentication).toHaveBeenCalledWith(BANK);
  });

  it('loaded again while processing (back from a full-page challenge): reads until the outcome', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const fake = fakeClient(payment({ status: 'processing' }));
    const w = render({ locale: 'en-US', fields: new FakeFields(), client: fake.client });
    await flushPromises();
    fake.retrieve.mockResolvedValue(declined);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(w.get('[role="alert"]').text()).toBe(catalogues['en-US'].declines.authentication_required);
    expect(w.find('form').exists()).toBe(true);
  });
});
