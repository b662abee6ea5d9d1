import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CheckoutError, type CheckoutPayment } from '../src/client.js';
import {
  type CheckoutEvent,
  type CheckoutState,
  checkoutTransitions,
  initialState,
  reduce,
} from '../src/state.js';

const base: CheckoutPayment = {
  id: 'pay_1',
  object: 'checkout_payment',
  amount: 4990,
  currency: 'EUR',
  formatted_amount: '€49.90',
  country: 'FR',
  status: 'requires_payment_method',
  next_action: null,
  last_error: null,
  payment_method_details: null,
  payment_methods: [{ type: 'card', brands: ['visa'] }],
  return_url: null,
  created: 1,
  livemode: false,
};
const withStatus = (
  status: CheckoutPayment['status'],
  extra: Partial<CheckoutPayment> = {},
): CheckoutPayment => ({
  ...base,
  status,
  ...extra,
});
const challenge = withStatus('requires_action', {
  next_action: {
    type: 'redirect_to_url',
    redirect_to_url: { url: 'https://bank.example/3ds', return_url: null },
  },
});
/** The French market's methods. */
const offering = withStatus('requires_payment_method', {
  payment_methods: [
    { type: 'card', brands: ['visa'] },
    { type: 'paypal' },
    { type: 'klarna' },
    { type: 'open_banking', billing_details: ['name', 'email'] },
    { type: 'konbini', billing_details: ['name', 'email', 'phone'] },
  ],
});
const providerPage = withStatus('requires_action', {
  next_action: {
    type: 'redirect_to_url',
    redirect_to_url: { url: 'https://paypal.example/checkoutnow?token=1', return_url: null },
  },
});
const voucher = withStatus('requires_action', {
  next_action: {
    type: 'display_voucher',
    display_voucher: { reference: '123456', expires_at: 1_900_000_000, instructions_url: null, store: null },
  },
});
const decline = new CheckoutError('card_error', 'card_declined', 'Declined', 'insufficient_funds', 402);

const run = (events: CheckoutEvent[], from: CheckoutState = initialState) => events.reduce(reduce, from);

describe('checkout state', () => {
  it('goes from loading to the form, then pays', () => {
    const s = run([
      { type: 'loaded', payment: base },
      { type: 'submit' },
      { type: 'answered', payment: withStatus('succeeded') },
    ]);
    expect(s.status).toBe('succeeded');
  });

  it('shows a decline in the form and keeps it usable', () => {
    const s = run([
      { type: 'loaded', payment: base },
      { type: 'submit' },
      { type: 'failed', error: decline },
    ]);
    expect(s).toMatchObject({
      status: 'ready',
      error: { code: 'card_declined', declineCode: 'insufficient_funds' },
    });
    expect(reduce(s, { type: 'submit' }).status).toBe('submitting');
  });

  it('opens the bank page for 3-D Secure and shows a failed authentication back in the form', () => {
    const s = run([
      { type: 'loaded', payment: base },
      { type: 'submit' },
      { type: 'answered', payment: challenge },
    ]);
    expect(s).toMatchObject({ status: 'authenticating', actionUrl: 'https://bank.example/3ds' });
    const back = reduce(s, {
      type: 'answered',
      payment: withStatus('requires_payment_method', {
        last_error: {
          type: 'card_error',
          code: 'authentication_failed',
          decline_code: 'authentication_required',
          message: 'x',
        },
      }),
    });
    expect(back).toMatchObject({ status: 'ready', error: { declineCode: 'authentication_required' } });
  });

  it('restores the right step when the page is loaded again (after a redirect)', () => {
    expect(run([{ type: 'loaded', payment: challenge }]).status).toBe('authenticating');
    expect(run([{ type: 'loaded', payment: withStatus('processing') }]).status).toBe('processing');
    expect(run([{ type: 'loaded', payment: withStatus('requires_capture') }]).status).toBe('succeeded');
    expect(run([{ type: 'loaded', payment: withStatus('canceled') }]).status).toBe('unavailable');
    expect(run([{ type: 'load_failed' }]).status).toBe('unavailable');
  });

  it('after a challenge in the page: checks the payment, and takes what it says', () => {
    const framed = run([
      { type: 'loaded', payment: base },
      { type: 'submit' },
      { type: 'answered', payment: challenge },
    ]);
    const checking = reduce(framed, { type: 'challenge_completed' });
    expect(checking).toEqual({ status: 'checking', payment: challenge, method: 'card' });
    expect(reduce(checking, { type: 'checked', payment: withStatus('succeeded') }).status).toBe('succeeded');
    expect(reduce(checking, { type: 'checked', payment: withStatus('processing') }).status).toBe(
      'processing',
    );
    const declined = reduce(checking, {
      type: 'checked',
      payment: withStatus('requires_payment_method', {
        last_error: {
          type: 'card_error',
          code: 'authentication_failed',
          decline_code: 'authentication_required',
          message: 'x',
        },
      }),
    });
    expect(declined).toMatchObject({ status: 'ready', error: { declineCode: 'authentication_required' } });
    // The bank said it is done: a payment still waiting for it is on its way, not a page to open again.
    expect(reduce(checking, { type: 'checked', payment: challenge })).toMatchObject({ status: 'processing' });
    expect(reduce(checking, { type: 'checked', payment: challenge }).actionUrl).toBeUndefined();
    expect(reduce(checking, { type: 'check_failed' })).toEqual({
      status: 'processing',
      payment: challenge,
      method: 'card',
    });
  });

  it('reads a processing payment until it settles, and takes a completion only while authenticating', () => {
    const processing = run([{ type: 'loaded', payment: withStatus('processing') }]);
    expect(reduce(processing, { type: 'checked', payment: withStatus('processing') })).toBe(processing);
    expect(reduce(processing, { type: 'checked', payment: withStatus('requires_capture') }).status).toBe(
      'succeeded',
    );
    expect(reduce(processing, { type: 'challenge_completed' })).toBe(processing);
    const form = run([{ type: 'loaded', payment: base }]);
    expect(reduce(form, { type: 'challenge_completed' })).toBe(form);
    expect(reduce(form, { type: 'checked', payment: withStatus('succeeded') })).toBe(form);
    expect(reduce(form, { type: 'check_failed' })).toBe(form);
  });

  it('never submits twice, nor without a method to pay with', () => {
    const submitting = run([{ type: 'loaded', payment: base }, { type: 'submit' }]);
    expect(reduce(submitting, { type: 'submit' })).toBe(submitting);
    const none = run([{ type: 'loaded', payment: { ...base, payment_methods: [] } }]);
    expect(reduce(none, { type: 'submit' }).status).toBe('ready');
  });

  it("another method's page is not 3-D Secure: the window goes there, and nothing follows in this page", () => {
    const ready = run([{ type: 'loaded', payment: offering }]);
    expect(reduce(ready, { type: 'submit', method: 'bizum' })).toBe(ready);
    const submitting = reduce(ready, { type: 'submit', method: 'paypal' });
    expect(submitting).toMatchObject({ status: 'submitting', method: 'paypal' });
    const leaving = reduce(submitting, { type: 'answered', payment: providerPage });
    expect(leaving).toMatchObject({
      status: 'redirecting',
      method: 'paypal',
      actionUrl: 'https://paypal.example/checkoutnow?token=1',
    });
    expect(reduce(leaving, { type: 'challenge_completed' })).toBe(leaving);
    expect(reduce(leaving, { type: 'checked', payment: withStatus('succeeded') })).toBe(leaving);
    // Back on the page with it unfinished: the provider's page again, not the bank's.
    expect(run([{ type: 'loaded', payment: providerPage, method: 'paypal' }]).status).toBe('redirecting');
    expect(run([{ type: 'loaded', payment: providerPage }]).status).toBe('authenticating');
    // The api's word on the method wins over what the page remembered.
    const named = { ...providerPage, payment_method_details: { type: 'klarna' } };
    expect(run([{ type: 'loaded', payment: named, method: 'card' }])).toMatchObject({
      status: 'redirecting',
      method: 'klarna',
    });
  });

  it('back from the provider with a failure: the form, the same method, the error', () => {
    const back = withStatus('requires_payment_method', {
      payment_methods: offering.payment_methods,
      last_error: { type: 'card_error', code: 'canceled_by_shopper', message: 'Canceled.' },
    });
    expect(run([{ type: 'loaded', payment: back, method: 'klarna' }])).toMatchObject({
      status: 'ready',
      method: 'klarna',
      error: { code: 'canceled_by_shopper' },
    });
    const refused = run([
      { type: 'loaded', payment: offering },
      { type: 'submit', method: 'open_banking' },
      {
        type: 'failed',
        error: new CheckoutError(
          'invalid_request_error',
          'parameter_missing',
          'x',
          undefined,
          400,
          'payment_method_data.billing_details.email',
        ),
      },
    ]);
    expect(refused).toMatchObject({
      status: 'ready',
      method: 'open_banking',
      error: { code: 'parameter_missing', param: 'payment_method_data.billing_details.email' },
    });
  });

  it('a voucher is read until it is paid, or back to the form when it expires', () => {
    const shown = run([
      { type: 'loaded', payment: offering },
      { type: 'submit', method: 'konbini' },
      { type: 'answered', payment: voucher },
    ]);
    expect(shown).toMatchObject({ status: 'voucher', method: 'konbini' });
    expect(shown.actionUrl).toBeUndefined();
    // Still unpaid: nothing changes.
    expect(reduce(shown, { type: 'checked', payment: voucher })).toBe(shown);
    expect(reduce(shown, { type: 'submit', method: 'konbini' })).toBe(shown);
    expect(reduce(shown, { type: 'checked', payment: withStatus('succeeded') }).status).toBe('succeeded');
    const expired = reduce(shown, {
      type: 'checked',
      payment: withStatus('requires_payment_method', {
        payment_methods: offering.payment_methods,
        last_error: { type: 'card_error', code: 'payment_expired', message: 'Expired.' },
      }),
    });
    expect(expired).toMatchObject({ status: 'ready', method: 'konbini', error: { code: 'payment_expired' } });
    // Loaded again later (the shopper came back): the voucher, a konbini's even unremembered.
    expect(run([{ type: 'loaded', payment: voucher }])).toMatchObject({
      status: 'voucher',
      method: 'konbini',
    });
  });

  it('moves only along the declared table, and never leaves succeeded, whatever the events', () => {
    const payments = fc.constantFrom(
      base,
      offering,
      challenge,
      providerPage,
      voucher,
      { ...providerPage, payment_method_details: { type: 'paypal' } },
      withStatus('processing'),
      withStatus('succeeded'),
      withStatus('requires_capture'),
      withStatus('canceled'),
      withStatus('requires_action'),
      withStatus('requires_payment_method', {
        payment_methods: offering.payment_methods,
        last_error: { type: 'card_error', code: 'payment_expired', message: 'x' },
      }),
    );
    const methods = fc.constantFrom(undefined, 'card', 'paypal', 'konbini', 'open_banking', 'bizum');
    const event: fc.Arbitrary<CheckoutEvent> = fc.oneof(
      fc
        .tuple(payments, methods)
        .map(([payment, method]) => ({ type: 'loaded' as const, payment, ...(method ? { method } : {}) })),
      payments.map((payment) => ({ type: 'answered' as const, payment })),
      fc.constant({ type: 'load_failed' as const }),
      methods.map((method) => ({ type: 'submit' as const, ...(method ? { method } : {}) })),
      fc.constant({ type: 'failed' as const, error: decline }),
      fc.constant({ type: 'challenge_completed' as const }),
      payments.map((payment) => ({ type: 'checked' as const, payment })),
      fc.constant({ type: 'check_failed' as const }),
    );
    fc.assert(
      fc.property(fc.array(event, { maxLength: 40 }), (events) => {
        let state = initialState;
        let submits = 0;
        for (const e of events) {
          const next = reduce(state, e);
          expect(Object.keys(checkoutTransitions)).toContain(next.status);
          if (next.status !== state.status) {
            expect(checkoutTransitions[state.status] as readonly string[]).toContain(next.status);
          }
          // A submit pays with a method the payment offers; another method's page is never a challenge.
          if (next.status === 'submitting' && state.status === 'ready')
            expect(state.payment?.payment_methods.map((m) => m.type)).toContain(next.method);
          if (next.status === 'redirecting') expect(next.method).not.toBe('card');
          if (next.status === 'authenticating') expect(next.method ?? 'card').toBe('card');
          if (state.status === 'succeeded') expect(next).toBe(state);
          if (next.status === 'submitting' && state.status !== 'submitting') submits++;
          if (next.status === 'submitting') expect(state.status === 'ready' || next === state).toBe(true);
          // The vault's message ends a challenge that is open, and nothing else.
          if (next.status === 'checking')
            expect(state.status === 'authenticating' || next === state).toBe(true);
          state = next;
        }
        expect(submits).toBeLessThanOrEqual(events.filter((e) => e.type === 'submit').length);
      }),
    );
  });
});
