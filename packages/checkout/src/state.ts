import type { CheckoutError, CheckoutPayment } from './client.js';

/**
 * What the checkout shows, as a declared state machine (the same discipline as the payment's):
 * - `loading`: reading the payment;
 * - `ready`: the form, with the last decline or error to show, if any;
 * - `submitting`: a confirmation is on its way (the pay button is busy: no second submit);
 * - `authenticating`: the bank's 3-D Secure page is open (in the page, or the window went there);
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
  | 'checking'
  | 'processing'
  | 'succeeded'
  | 'unavailable';

export const checkoutTransitions = {
  loading: ['ready', 'authenticating', 'processing', 'succeeded', 'unavailable'],
  ready: ['submitting'],
  submitting: ['ready', 'authenticating', 'processing', 'succeeded', 'unavailable'],
  authenticating: ['ready', 'checking', 'processing', 'succeeded', 'unavailable'],
  checking: ['ready', 'processing', 'succeeded', 'unavailable'],
  processing: ['ready', 'succeeded', 'unavailable'],
  succeeded: [],
  unavailable: [],
} as const satisfies Record<CheckoutStatus, readonly CheckoutStatus[]>;

export interface CheckoutState {
  status: CheckoutStatus;
  payment?: CheckoutPayment;
  /** A decline or an error to show in `ready`, as the API gave it. */
  error?: { type: string; code: string; declineCode?: string; message: string };
  /** The bank's page, in `authenticating`. */
  actionUrl?: string;
}

export type CheckoutEvent =
  | { type: 'loaded'; payment: CheckoutPayment }
  | { type: 'load_failed' }
  | { type: 'submit' }
  | { type: 'answered'; payment: CheckoutPayment }
  | { type: 'failed'; error: CheckoutError }
  /** The in-page challenge's end (the vault's message, which says nothing of the outcome). */
  | { type: 'challenge_completed' }
  /** The payment as read after the challenge, or while processing. */
  | { type: 'checked'; payment: CheckoutPayment }
  /** It could not be read after the challenge: the outcome will be asked again. */
  | { type: 'check_failed' };

export const initialState: CheckoutState = { status: 'loading' };

/** The checkout status a payment's status means. */
export function statusOf(payment: CheckoutPayment): CheckoutStatus {
  switch (payment.status) {
    case 'requires_payment_method':
    case 'requires_confirmation':
      return 'ready';
    case 'requires_action':
      return payment.next_action ? 'authenticating' : 'processing';
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
    case 'loaded':
    case 'answered': {
      if (event.type === 'loaded' && state.status !== 'loading') return undefined;
      if (event.type === 'answered' && state.status === 'loading') return undefined;
      return fromPayment(event.payment, statusOf(event.payment));
    }
    case 'checked': {
      if (state.status !== 'checking' && state.status !== 'processing') return undefined;
      const status = statusOf(event.payment);
      // The bank's page said it is done: a payment still waiting for it is on its way, not a
      // challenge to open again.
      return fromPayment(event.payment, status === 'authenticating' ? 'processing' : status);
    }
    case 'challenge_completed':
      return state.status === 'authenticating' ? withPayment('checking', state) : undefined;
    case 'check_failed':
      return state.status === 'checking' ? withPayment('processing', state) : undefined;
    case 'load_failed':
      return state.status === 'loading' ? { status: 'unavailable' } : undefined;
    case 'submit':
      return state.status === 'ready' && state.payment?.payment_methods.length
        ? { status: 'submitting', payment: state.payment }
        : undefined;
    case 'failed':
      if (state.status !== 'submitting') return undefined;
      return {
        ...withPayment('ready', state),
        error: {
          type: event.error.type,
          code: event.error.code,
          ...(event.error.declineCode ? { declineCode: event.error.declineCode } : {}),
          message: event.error.message,
        },
      };
  }
}

const withPayment = (status: CheckoutStatus, state: CheckoutState): CheckoutState => ({
  status,
  ...(state.payment ? { payment: state.payment } : {}),
});

/** The state a payment read from the API puts the checkout in, with its error or its challenge. */
function fromPayment(payment: CheckoutPayment, status: CheckoutStatus): CheckoutState {
  const lastError = payment.last_error;
  return {
    status,
    payment,
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
    ...(status === 'authenticating' && payment.next_action
      ? { actionUrl: payment.next_action.redirect_to_url.url }
      : {}),
  };
}
