/// <reference lib="dom" />
import type {
  Appearance,
  ConnectMessage,
  FieldName,
  FieldState,
  FrameToParent,
  HelloMessage,
  Locale,
  ParentToFrame,
  TokenizeError,
} from '../protocol.js';
import { createEmitter, type FieldEvents, type Handler, type PublicField } from './events.js';
import { frameTitles } from './titles.js';

export interface MountOptions {
  /** Where the vault is served, e.g. `https://vault.payin.example`. */
  vaultUrl: string;
  publishableKey: string;
  locale?: Locale;
  /** A CSS selector or an element to hold each field's iframe. */
  fields: Partial<Record<PublicField, string | HTMLElement>> & {
    number: string | HTMLElement;
    expiry: string | HTMLElement;
  };
  /** Overrides of the fields' labels (also the iframes' titles). */
  labels?: Partial<Record<PublicField, string>>;
  /** Keeps the labels for screen readers only, when the page shows its own. */
  hideLabels?: boolean;
  appearance?: Appearance;
}

export interface MountedFields {
  on<K extends keyof FieldEvents>(name: K, handler: Handler<K>): () => void;
  /** Resolves with the token the vault answered, or rejects with `{ type, code, message, param }`. */
  tokenize(): Promise<unknown>;
  destroy(): void;
}

const wireNames: Record<PublicField, FieldName> = {
  number: 'number',
  expiry: 'expiry',
  cvc: 'cvc',
  holderName: 'holder_name',
};

/** Fixed iframe heights (label, input, error line) so that nothing jumps as errors come and go. */
const HEIGHT = 88;
const HEIGHT_WITHOUT_LABEL = 66;

interface Frame {
  field: PublicField;
  iframe: HTMLIFrameElement;
  port?: MessagePort;
  state?: FieldState;
}

function randomSession(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fail(code: string, message: string): TokenizeError {
  return { type: 'invalid_request_error', code, message };
}

/**
 * Puts one vault iframe in each container and connects to each over a MessageChannel. The
 * handshake trusts a `payin:hello` only from the vault's origin and from the very iframe it
 * created, and sends the port only to the vault's origin: never `"*"`.
 */
export function mount(options: MountOptions): MountedFields {
  const vaultOrigin = new URL(options.vaultUrl).origin;
  const locale: Locale = options.locale && options.locale in frameTitles ? options.locale : 'en-US';
  const session = randomSession();
  const events = createEmitter();
  const frames: Frame[] = [];
  const pending = new Map<number, { resolve(token: unknown): void; reject(error: TokenizeError): void }>();
  let nextId = 0;
  let destroyed = false;
  let lastValidity = '';

  const present = (Object.keys(wireNames) as PublicField[]).filter((f) => options.fields[f]);
  const fieldList = present.map((f) => wireNames[f]);

  const emitValidity = () => {
    const fields: Partial<Record<PublicField, boolean>> = {};
    for (const frame of frames) fields[frame.field] = frame.state?.valid === true;
    const valid = Object.values(fields).every(Boolean);
    const key = JSON.stringify([valid, fields]);
    if (key === lastValidity) return;
    lastValidity = key;
    events.emit('validity', { valid, fields });
  };

  const onFrameMessage = (frame: Frame, message: FrameToParent) => {
    const { field } = frame;
    switch (message.type) {
      case 'ready':
        events.emit('ready', { field });
        break;
      case 'change':
        frame.state = message.state;
        events.emit('change', { field, ...message.state });
        emitValidity();
        break;
      case 'focus':
      case 'blur':
        events.emit(message.type, { field });
        break;
      case 'brand':
        if (field === 'number') {
          const { brand, availableBrands, chosen } = message;
          events.emit('brand', { field, brand, availableBrands, chosen });
        }
        break;
      case 'result': {
        const waiter = pending.get(message.id);
        if (!waiter || field !== 'number') return;
        pending.delete(message.id);
        if (message.error) waiter.reject(message.error);
        else waiter.resolve(message.token);
      }
    }
  };

  const onWindowMessage = (event: MessageEvent) => {
    if (event.origin !== vaultOrigin) return;
    const frame = frames.find((f) => f.iframe.contentWindow === event.source);
    const hello = event.data as Partial<HelloMessage> | null;
    if (!frame || frame.port || hello?.type !== 'payin:hello') return;
    if (hello.session !== session || hello.field !== wireNames[frame.field]) return;
    const channel = new MessageChannel();
    frame.port = channel.port1;
    channel.port1.onmessage = (e: MessageEvent) => onFrameMessage(frame, e.data as FrameToParent);
    const connect: ConnectMessage = {
      type: 'payin:connect',
      session,
      fields: fieldList,
      hideLabel: options.hideLabels === true,
    };
    const label = options.labels?.[frame.field];
    if (label) connect.label = label;
    if (options.appearance) connect.appearance = options.appearance;
    frame.iframe.contentWindow?.postMessage(connect, vaultOrigin, [channel.port2]);
  };
  window.addEventListener('message', onWindowMessage);

  const base = options.vaultUrl.replace(/\/+$/, '');
  const placements: { iframe: HTMLIFrameElement; container: Element }[] = [];
  for (const field of present) {
    const target = options.fields[field];
    const container = typeof target === 'string' ? document.querySelector(target) : target;
    if (!container) throw new Error(`PayinFields: no element for the ${field} field (${String(target)})`);
    const query = new URLSearchParams({
      field: wireNames[field],
      key: options.publishableKey,
      origin: location.origin,
      session,
      locale,
    });
    const iframe = document.createElement('iframe');
    iframe.src = `${base}/fields/v1/frame?${query}`;
    iframe.title = options.labels?.[field] ?? frameTitles[locale][wireNames[field]];
    iframe.referrerPolicy = 'no-referrer';
    iframe.setAttribute('scrolling', 'no');
    const style = iframe.style;
    style.display = 'block';
    style.width = '100%';
    style.border = '0';
    style.height = `${options.hideLabels ? HEIGHT_WITHOUT_LABEL : HEIGHT}px`;
    style.colorScheme = 'normal';
    frames.push({ field, iframe });
    placements.push({ iframe, container });
  }
  // Each iframe goes in in a task of its own, the first after the caller's: inserting one makes
  // the page's main thread build a frame and its first document (tens of milliseconds on a
  // phone), and all of them with the caller's own rendering make one long task that holds up
  // the shopper's input.
  let placing: ReturnType<typeof setTimeout> | undefined;
  const placeNext = () => {
    placing = undefined;
    const next = placements.shift();
    if (!next || destroyed) return;
    next.container.append(next.iframe);
    if (placements.length > 0) placing = setTimeout(placeNext);
  };
  placing = setTimeout(placeNext);

  return {
    on: events.on,
    tokenize() {
      const number = frames.find((f) => f.field === 'number');
      if (destroyed) return Promise.reject(fail('fields_destroyed', 'These fields were destroyed.'));
      if (!number?.port || frames.some((f) => !f.port)) {
        return Promise.reject(fail('fields_not_ready', 'The card fields are still loading.'));
      }
      const id = ++nextId;
      const port = number.port;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        const message: ParentToFrame = { type: 'tokenize', id };
        port.postMessage(message);
      });
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      clearTimeout(placing);
      window.removeEventListener('message', onWindowMessage);
      for (const frame of frames) {
        frame.port?.close();
        frame.iframe.remove();
      }
      for (const waiter of pending.values())
        waiter.reject(fail('fields_destroyed', 'These fields were destroyed.'));
      pending.clear();
      events.clear();
    },
  };
}
