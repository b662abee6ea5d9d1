/// <reference lib="dom" />
import {
  type Appearance,
  type ConnectMessage,
  type FieldName,
  type FieldState,
  type FrameToParent,
  frameHeight,
  type HelloMessage,
  type Locale,
  type ParentToFrame,
  type TokenizeError,
} from '../protocol.js';
import { createEmitter, type FieldEvents, type Handler, type PublicField } from './events.js';
import { cardFrameTitles, frameTitles } from './titles.js';

export interface MountOptions {
  /** Where the vault is served, e.g. `https://vault.payin.example`. */
  vaultUrl: string;
  publishableKey: string;
  locale?: Locale;
  /**
   * A CSS selector or an element to hold each field's iframe. Fields given the same container
   * share one iframe (`{ number: '#card', expiry: '#card', cvc: '#card' }`: the card in one frame,
   * the expiry and the CVC side by side).
   */
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
const publicNames = Object.fromEntries(Object.entries(wireNames).map(([pub, wire]) => [wire, pub])) as Record<
  FieldName,
  PublicField
>;

/** One iframe: the fields it holds (in Tab order) and its connection once it said hello. */
interface Frame {
  fields: PublicField[];
  iframe: HTMLIFrameElement;
  port?: MessagePort;
}

function randomSession(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function fail(code: string, message: string): TokenizeError {
  return { type: 'invalid_request_error', code, message };
}

const sameFields = (a: readonly FieldName[], b: readonly FieldName[]) =>
  a.length === b.length && a.every((f, i) => f === b[i]);

/**
 * Puts the vault's iframes in the containers and connects to each over a MessageChannel:
 * fields given the same container share one iframe (the card in one frame: the page builds
 * one frame instead of three, and the browser autofills the card in one go). The handshake
 * trusts a `payin:hello` only from the vault's origin and from the very iframe it created, and
 * sends the port only to the vault's origin: never `"*"`.
 */
export function mount(options: MountOptions): MountedFields {
  const vaultOrigin = new URL(options.vaultUrl).origin;
  const locale: Locale = options.locale && options.locale in frameTitles ? options.locale : 'en-US';
  const session = randomSession();
  const events = createEmitter();
  const frames: Frame[] = [];
  const states: Partial<Record<PublicField, FieldState>> = {};
  const pending = new Map<number, { resolve(token: unknown): void; reject(error: TokenizeError): void }>();
  let nextId = 0;
  let destroyed = false;
  let lastValidity = '';

  const present = (Object.keys(wireNames) as PublicField[]).filter((f) => options.fields[f]);
  const fieldList = present.map((f) => wireNames[f]);

  const emitValidity = () => {
    const fields: Partial<Record<PublicField, boolean>> = {};
    for (const field of present) fields[field] = states[field]?.valid === true;
    const valid = Object.values(fields).every(Boolean);
    const key = JSON.stringify([valid, fields]);
    if (key === lastValidity) return;
    lastValidity = key;
    events.emit('validity', { valid, fields });
  };

  const onFrameMessage = (frame: Frame, message: FrameToParent) => {
    // A field this frame does not hold is not its to report on.
    const own = (wire: FieldName): PublicField | undefined => {
      const field = publicNames[wire];
      return frame.fields.includes(field) ? field : undefined;
    };
    switch (message.type) {
      case 'ready':
        for (const field of frame.fields) events.emit('ready', { field });
        break;
      case 'change': {
        const field = own(message.field);
        if (!field) return;
        states[field] = message.state;
        events.emit('change', { field, ...message.state });
        emitValidity();
        break;
      }
      case 'focus':
      case 'blur': {
        const field = own(message.field);
        if (field) events.emit(message.type, { field });
        break;
      }
      case 'brand':
        if (frame.fields.includes('number')) {
          const { brand, availableBrands, chosen } = message;
          events.emit('brand', { field: 'number', brand, availableBrands, chosen });
        }
        break;
      case 'result': {
        const waiter = pending.get(message.id);
        if (!waiter || !frame.fields.includes('number')) return;
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
    const wires = frame.fields.map((f) => wireNames[f]);
    if (hello.session !== session || !Array.isArray(hello.fields) || !sameFields(hello.fields, wires)) return;
    const channel = new MessageChannel();
    frame.port = channel.port1;
    channel.port1.onmessage = (e: MessageEvent) => onFrameMessage(frame, e.data as FrameToParent);
    const connect: ConnectMessage = {
      type: 'payin:connect',
      session,
      fields: fieldList,
      hideLabels: options.hideLabels === true,
    };
    const labels: Partial<Record<FieldName, string>> = {};
    for (const field of frame.fields) {
      const label = options.labels?.[field];
      if (label) labels[wireNames[field]] = label;
    }
    if (Object.keys(labels).length > 0) connect.labels = labels;
    if (options.appearance) connect.appearance = options.appearance;
    frame.iframe.contentWindow?.postMessage(connect, vaultOrigin, [channel.port2]);
  };
  window.addEventListener('message', onWindowMessage);

  // One frame per container, its fields in Tab order.
  const groups = new Map<Element, PublicField[]>();
  for (const field of present) {
    const target = options.fields[field];
    const container = typeof target === 'string' ? document.querySelector(target) : target;
    if (!container) throw new Error(`PayinFields: no element for the ${field} field (${String(target)})`);
    groups.set(container, [...(groups.get(container) ?? []), field]);
  }

  const base = options.vaultUrl.replace(/\/+$/, '');
  const placements: { iframe: HTMLIFrameElement; container: Element }[] = [];
  for (const [container, fields] of groups) {
    const wires = fields.map((f) => wireNames[f]);
    const query = new URLSearchParams({
      fields: wires.join(','),
      key: options.publishableKey,
      origin: location.origin,
      session,
      locale,
    });
    const iframe = document.createElement('iframe');
    iframe.src = `${base}/fields/v1/frame?${query}`;
    const [only] = fields;
    iframe.title =
      fields.length === 1 && only
        ? (options.labels?.[only] ?? frameTitles[locale][wireNames[only]])
        : cardFrameTitles[locale];
    iframe.referrerPolicy = 'no-referrer';
    iframe.setAttribute('scrolling', 'no');
    const style = iframe.style;
    style.display = 'block';
    style.width = '100%';
    style.border = '0';
    style.height = `${frameHeight(wires, options.hideLabels === true)}px`;
    style.colorScheme = 'normal';
    frames.push({ fields, iframe });
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
      const number = frames.find((f) => f.fields.includes('number'));
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
