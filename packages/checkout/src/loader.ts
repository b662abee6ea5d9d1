/// <reference lib="dom" />
/**
 * payin-checkout.v1.js: `PayinCheckout.mount()` for pages that are not Vue apps. It creates a
 * Vue app holding <PayinCheckout> in `target` and relays the component's events.
 *
 *   const checkout = PayinCheckout.mount('#checkout', { apiUrl, publishableKey, paymentId,
 *     clientSecret, vaultUrl, returnUrl });
 *   checkout.on('success', (payment) => { … });
 *   checkout.destroy();
 */
import '@payin/design-system/styles.css';
import './vue/checkout.css';
import { createApp, h } from 'vue';
import type { CheckoutClient, CheckoutPayment } from './client.js';
import type { AuthenticationMode } from './vue/challenge.js';
import type { PayinFieldsApi } from './vue/fields.js';
import PayinCheckoutComponent from './vue/PayinCheckout.vue';

export interface CheckoutMountOptions {
  apiUrl: string;
  publishableKey: string;
  paymentId: string;
  clientSecret: string;
  vaultUrl: string;
  locale?: string;
  returnUrl?: string;
  /** `frame` (default): 3-D Secure inside the checkout; `redirect`: the whole window goes to the bank. */
  authentication?: AuthenticationMode;
  /** The vault's `PayinFields` (default `window.PayinFields`). */
  fields?: PayinFieldsApi;
  client?: CheckoutClient;
  /** Prefix of the ids this checkout generates (default `payin-checkout-<n>-`): unique per page. */
  idPrefix?: string;
}

export interface CheckoutEvents {
  ready: CheckoutPayment;
  change: { complete: boolean; method: string };
  submit: undefined;
  success: CheckoutPayment;
  error: { code: string; declineCode?: string; message: string };
}

export interface MountedCheckout {
  /** Adds a handler; returns a function that removes it. */
  on<K extends keyof CheckoutEvents>(event: K, handler: (payload: CheckoutEvents[K]) => void): () => void;
  destroy(): void;
}

const eventNames = [
  'ready',
  'change',
  'submit',
  'success',
  'error',
] as const satisfies readonly (keyof CheckoutEvents)[];
let mounts = 0;

function mount(target: string | Element, options: CheckoutMountOptions): MountedCheckout {
  const element = typeof target === 'string' ? document.querySelector(target) : target;
  if (!element) throw new Error(`PayinCheckout: no element for ${String(target)}`);
  const { idPrefix, ...props } = options;
  const handlers = new Map<keyof CheckoutEvents, Set<(payload: never) => void>>();
  const relay = (name: keyof CheckoutEvents) => (payload?: unknown) => {
    for (const handler of handlers.get(name) ?? []) {
      try {
        (handler as (payload: unknown) => void)(payload);
      } catch (error) {
        // A throwing handler of the page does not stop the others, nor the checkout.
        setTimeout(() => {
          throw error;
        });
      }
    }
  };
  const listeners = Object.fromEntries(
    eventNames.map((name) => [`on${name[0]?.toUpperCase()}${name.slice(1)}`, relay(name)]),
  );
  const app = createApp({ render: () => h(PayinCheckoutComponent, { ...props, ...listeners }) });
  app.config.idPrefix = idPrefix ?? `payin-checkout-${++mounts}-`;
  app.mount(element);
  let destroyed = false;
  return {
    on(event, handler) {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set);
      set.add(handler as (payload: never) => void);
      return () => {
        set.delete(handler as (payload: never) => void);
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      app.unmount();
      handlers.clear();
    },
  };
}

export const PayinCheckout = { mount };
export default PayinCheckout;
