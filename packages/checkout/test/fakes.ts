import { vi } from 'vitest';
import { type CheckoutClient, CheckoutError, type CheckoutPayment } from '../src/client.js';
import type {
  CardField,
  CardFieldEvents,
  CardFieldsOptions,
  MountedCardFields,
  PayinFieldsApi,
} from '../src/vue/fields.js';

export const payment = (extra: Partial<CheckoutPayment> = {}): CheckoutPayment => ({
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
  payment_methods: [{ type: 'card', brands: ['cartes_bancaires', 'visa', 'mastercard'] }],
  return_url: null,
  created: 1,
  livemode: false,
  ...extra,
});

/** A promise with its resolve and reject in hand. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export interface FakeMount {
  options: CardFieldsOptions;
  destroyed: boolean;
  tokenizeCalls: number;
  emit<K extends keyof CardFieldEvents>(name: K, payload: CardFieldEvents[K]): void;
  /** Every field reports ready, then a complete and valid state. */
  fill(): void;
}

/**
 * The vault's PayinFields as the checkout sees it: puts an iframe in each container, records
 * mounts, emits what a test asks, and answers tokenize() from a script (a token or a refusal).
 */
export class FakeFields implements PayinFieldsApi {
  readonly mounts: FakeMount[] = [];
  readonly tokens: (() => Promise<unknown>)[] = [];

  mount(options: CardFieldsOptions): MountedCardFields {
    const handlers = new Map<string, Set<(payload: unknown) => void>>();
    const present = (Object.keys(options.fields) as CardField[]).filter((f) => options.fields[f]);
    // As the vault does: fields given one container share one frame.
    const groups = new Map<HTMLElement, CardField[]>();
    for (const field of present) {
      const container = options.fields[field] as HTMLElement;
      groups.set(container, [...(groups.get(container) ?? []), field]);
    }
    for (const [container, fields] of groups) {
      // Stands for the vault's iframe (happy-dom would try to load a real one): one tab stop.
      const frame = document.createElement('div');
      frame.className = 'fake-frame';
      frame.tabIndex = 0;
      frame.setAttribute('role', 'group');
      frame.setAttribute('aria-label', `${fields.join(', ')} fields`);
      frame.dataset.fields = fields.join(' ');
      container.append(frame);
    }
    const record: FakeMount = {
      options,
      destroyed: false,
      tokenizeCalls: 0,
      emit(name, payload) {
        for (const handler of handlers.get(name) ?? []) handler(payload);
      },
      fill() {
        for (const field of present) record.emit('ready', { field });
        for (const field of present)
          record.emit('change', { field, empty: false, complete: true, valid: true, error: null });
      },
    };
    this.mounts.push(record);
    return {
      on(name, handler) {
        const set = handlers.get(name) ?? new Set();
        handlers.set(name, set);
        set.add(handler as (payload: unknown) => void);
        return () => set.delete(handler as (payload: unknown) => void);
      },
      tokenize: () => {
        record.tokenizeCalls++;
        const next = this.tokens.shift();
        return next ? next() : Promise.reject({ type: 'api_error', code: 'unscripted', message: '' });
      },
      destroy() {
        record.destroyed = true;
        for (const field of present) (options.fields[field] as HTMLElement).replaceChildren();
      },
    };
  }

  /** The next tokenize() resolves with this token id. */
  token(id: string): this {
    this.tokens.push(() => Promise.resolve({ id, object: 'token' }));
    return this;
  }
}

export interface FakeClient {
  client: CheckoutClient;
  retrieve: ReturnType<typeof vi.fn<() => Promise<CheckoutPayment>>>;
  confirm: ReturnType<typeof vi.fn<(pm: string, opts?: { returnUrl?: string }) => Promise<CheckoutPayment>>>;
}

/** A CheckoutClient whose answers a test scripts. */
export function fakeClient(loaded: CheckoutPayment | Promise<CheckoutPayment> = payment()): FakeClient {
  const retrieve = vi.fn<() => Promise<CheckoutPayment>>(() => Promise.resolve(loaded));
  const confirm = vi.fn<(pm: string, opts?: { returnUrl?: string }) => Promise<CheckoutPayment>>(() =>
    Promise.reject(new CheckoutError('api_error', 'unscripted', 'No answer scripted')),
  );
  return { client: { retrieve, confirm } as unknown as CheckoutClient, retrieve, confirm };
}

/** Intl writes narrow no-break spaces in some locales; compare on plain spaces. */
export const plain = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

/** Every element under `root` (itself included) that carries a `style` attribute. */
export function elementsWithStyle(root: Element): Element[] {
  return [...(root.matches('[style]') ? [root] : []), ...root.querySelectorAll('[style]')];
}
