import type { CheckoutError, CheckoutPayment } from './client.js';

/**
 * What the checkout shows, as a declared state machine (the same discipline as the payment's):
 * - `loading`: reading the payment;
 * - `ready`: the form, with the last decline or error to show, if any;
 * - `submitting`: a confirmation is on its way (the pay button is busy: no second submit);
 * - `authenticating`: the bank's 3-D Secure page is open (in the page, or the window went there);
 * - `redirecting`: another method's page (PayPal, Klarna, a bank's consent, Bizum, PayPay) takes
 *   the whole window: the checkout says where the shopper is going and the page leaves. Not 3-D
 *   Secure: nothing comes back to this page's state, the provider sends the shopper to the
 *   return URL, where the checkout is mounted anew;
 * - `voucher`: a konbini voucher to pay in cash at a store before its deadline; the payment is
 *   read until it is paid (`succeeded`) or expires (back to `ready` with `payment_expired`);
 * - `checking`: the bank's page in the checkout said it is done; the payment is being read;
 * - `processing`: the outcome is coming later (the shopper is told so, not told it failed);
 * - `succeeded`: paid (or authorised, for a manual capture);
 * - `unavailable`: nothing can be paid (canceled, or the payment could not be read).
 */
export type CheckoutStatus =
  | 'loading'
  | 'ready'
  | 'submitting'
  | 'authenticating'
  | 'redirecting'
  | 'voucher'
  | 'checking'
  | 'processing'
  | 'succeeded'
  | 'unavailable';

export const checkoutTransitions = {
  loading: ['ready', 'authenticating', 'redirecting', 'voucher', 'processing', 'succeeded', 'unavailable'],
  ready: ['submitting'],
  submitting: ['ready', 'authenticating', 'redirecting', 'voucher', 'processing', 'succeeded', 'unavailable'],
  authenticating: ['ready', 'checking', 'processing', 'succeeded', 'unavailable'],
  // The window is leaving for the provider's page; the shopper comes back to a new mount.
  redirecting: [],
  voucher: ['ready', 'processing', 'succeeded', 'unavailable'],
  checking: ['ready', 'processing', 'succeeded', 'unavailable'],
  processing: ['ready', 'succeeded', 'unavailable'],
  succeeded: [],
  unavailable: [],
} as const satisfies Record<CheckoutStatus, readonly CheckoutStatus[]>;

export interface CheckoutState {
  status: CheckoutStatus;
  payment?: CheckoutPayment;
  /**
   * The method the form shows (`ready`), is paying with (`submitting`) or paid with: `card`, or
   * another method's type. A failure comes back to the form with the same method chosen.
   */
  method?: string;
  /** A decline or an error to show in `ready`, as the API gave it. */
  error?: { type: string; code: string; declineCode?: string; message: string; param?: string };
  /** The bank's page, in `authenticating`; the provider's page, in `redirecting`. */
  actionUrl?: string;
}

export type CheckoutEvent =
  /**
   * The payment as first read. `method`: the method of its last attempt when the page knows it
   * better than the payment says (the api names it in `payment_method_details`).
   */
  | { type: 'loaded'; payment: CheckoutPayment; method?: string }
  | { type: 'load_failed' }
  /** Pay with the chosen method (`card` when not given). */
  | { type: 'submit'; method?: string }
  | { type: 'answered'; payment: CheckoutPayment }
  | { type: 'failed'; error: CheckoutError }
  /** The in-page challenge's end (the vault's message, which says nothing of the outcome). */
  | { type: 'challenge_completed' }
  /** The payment as read after the challenge, or while processing. */
  | { type: 'checked'; payment: CheckoutPayment }
  /** It could not be read after the challenge: the outcome will be asked again. */
  | { type: 'check_failed' };

export const initialState: CheckoutState = { status: 'loading' };

/** Whether a method's type is another than a card (paid on a provider's page or at a store). */
export const isAlternativeMethod = (method: string | undefined): boolean =>
  method !== undefined && method !== 'card';

/**
 * The checkout status a payment's status means. A page to open is 3-D Secure for a card, and
 * the provider's own page for another method.
 */
export function statusOf(payment: CheckoutPayment, method?: string): CheckoutStatus {
  switch (payment.status) {
    case 'requires_payment_method':
    case 'requires_confirmation':
      return 'ready';
    case 'requires_action':
      if (payment.next_action?.type === 'display_voucher') return 'voucher';
      if (payment.next_action?.type === 'redirect_to_url')
        return isAlternativeMethod(method) ? 'redirecting' : 'authenticating';
      return 'processing';
    case 'processing':
      return 'processing';
    case 'requires_capture':
    case 'succeeded':
      return 'succeeded';
    case 'canceled':
      return 'unavailable';
  }
}

/**
 * The next state. An event the current state does not take (a late answer after success, a
 * second submit while one is running) changes nothing: the table is the only way to move.
 */
export function reduce(state: CheckoutState, event: CheckoutEvent): CheckoutState {
  const next = candidate(state, event);
  if (!next || next === state) return state;
  const allowed = checkoutTransitions[state.status] as readonly CheckoutStatus[];
  if (next.status !== state.status && !allowed.includes(next.status)) return state;
  if (next.status === state.status && state.status !== 'ready') return state;
  return next;
}

function candidate(state: CheckoutState, event: CheckoutEvent): CheckoutState | undefined {
  switch (event.type) {
    case 'loaded': {
      if (state.status !== 'loading') return undefined;
      const method = methodOf(event.payment, event.method);
      return fromPayment(event.payment, statusOf(event.payment, method), method);
    }
    case 'answered': {
      if (state.status === 'loading') return undefined;
      const method = methodOf(event.payment, state.method);
      return fromPayment(event.payment, statusOf(event.payment, method), method);
    }
    case 'checked': {
      if (state.status !== 'checking' && state.status !== 'processing' && state.status !== 'voucher')
        return undefined;
      const method = methodOf(event.payment, state.method);
      const status = statusOf(event.payment, method);
      // The bank's page said it is done: a payment still waiting for it is on its way, not a
      // page to open again.
      return fromPayment(
        event.payment,
        status === 'authenticating' || status === 'redirecting' ? 'processing' : status,
        method,
      );
    }
    case 'challenge_completed':
      return state.status === 'authenticating' ? withPayment('checking', state) : undefined;
    case 'check_failed':
      return state.status === 'checking' ? withPayment('processing', state) : undefined;
    case 'load_failed':
      return state.status === 'loading' ? { status: 'unavailable' } : undefined;
    case 'submit': {
      // Only a method the payment offers.
      const method = event.method ?? 'card';
      return state.status === 'ready' && state.payment?.payment_methods.some((m) => m.type === method)
        ? { status: 'submitting', payment: state.payment, method }
        : undefined;
    }
    case 'failed':
      if (state.status !== 'submitting') return undefined;
      return {
        ...withPayment('ready', state),
        error: {
          type: event.error.type,
          code: event.error.code,
          ...(event.error.declineCode ? { declineCode: event.error.declineCode } : {}),
          message: event.error.message,
          ...(event.error.param ? { param: event.error.param } : {}),
        },
      };
  }
}

const withPayment = (status: CheckoutStatus, state: CheckoutState): CheckoutState => ({
  status,
  ...(state.payment ? { payment: state.payment } : {}),
  ...(state.method ? { method: state.method } : {}),
});

/** The method of the payment's attempt: the api's word first, else what this page knew. */
function methodOf(payment: CheckoutPayment, known: string | undefined): string | undefined {
  const named = payment.payment_method_details?.type;
  if (named) return named;
  // A voucher is never a card's.
  if (payment.next_action?.type === 'display_voucher' && !isAlternativeMethod(known)) return 'konbini';
  return known;
}

/** The state a payment read from the API puts the checkout in, with its error or its page. */
function fromPayment(payment: CheckoutPayment, status: CheckoutStatus, method?: string): CheckoutState {
  const lastError = payment.last_error;
  return {
    status,
    payment,
    ...(method ? { method } : {}),
    ...(status === 'ready' && lastError
      ? {
          error: {
            type: lastError.type,
            code: lastError.code,
            ...(lastError.decline_code ? { declineCode: lastError.decline_code } : {}),
            message: lastError.message,
          },
        }
      : {}),
    ...((status === 'authenticating' || status === 'redirecting') &&
    payment.next_action?.type === 'redirect_to_url'
      ? { actionUrl: payment.next_action.redirect_to_url.url }
      : {}),
  };
}
