/// <reference lib="dom" />
import type { ErrorCode, Messages } from '../messages/index.js';
import type { FieldName, FrameConfig, TokenizeError } from '../protocol.js';
import type { NumberField } from './fields/number.js';
import type { SiblingBus } from './siblings.js';
import { errorCodeOf, fieldOfParam, validateCard } from './validation.js';

/** Siblings answer within milliseconds; past this one of them is gone. */
const COLLECT_TIMEOUT_MS = 3000;
const REQUEST_TIMEOUT_MS = 30_000;

const paramOf: Record<FieldName, string> = {
  number: 'card[number]',
  expiry: 'card[exp_month]',
  cvc: 'card[cvc]',
  holder_name: 'card[holder_name]',
};

export type TokenizeOutcome = { token: unknown } | { error: TokenizeError };

/** Asks the other frames of the mount for their values, over the vault-origin sibling bus. */
function collect(
  bus: SiblingBus,
  fields: readonly FieldName[],
  id: number,
): Promise<Partial<Record<FieldName, string>> | null> {
  return new Promise((resolve) => {
    const values: Partial<Record<FieldName, string>> = {};
    const waiting = new Set<FieldName>(fields.filter((f) => f !== 'number'));
    const done = (result: typeof values | null) => {
      clearTimeout(timer);
      stop();
      resolve(result);
    };
    const stop = bus.on((message) => {
      if (message.t !== 'value' || message.id !== id || !waiting.has(message.field)) return;
      values[message.field] = String(message.value);
      waiting.delete(message.field);
      if (waiting.size === 0) done(values);
    });
    const timer = setTimeout(() => done(null), COLLECT_TIMEOUT_MS);
    if (waiting.size === 0) done(values);
    else bus.post({ t: 'collect', id });
  });
}

/**
 * Tokenization runs in the number frame, inside the vault's origin: it gathers the other
 * fields, validates the card, POSTs it same-origin to `/v1/tokens`, and shows any refusal in
 * the field it concerns. Only the token, or an error without card data, goes to the parent.
 */
export function createTokenizer(config: FrameConfig, bus: SiblingBus, number: NumberField) {
  const messages: Messages = config.messages;
  let busy = false;
  let collectId = 0;

  const show = (field: FieldName, code: ErrorCode | null, message?: string) => {
    if (field === 'number') number.control.show(code, message);
    else bus.post({ t: 'show', field, code, ...(message ? { message } : {}) });
  };

  const run = async (fields: readonly FieldName[]): Promise<TokenizeOutcome> => {
    const others = await collect(bus, fields, ++collectId);
    if (!others) {
      return {
        error: {
          type: 'validation_error',
          code: 'fields_unavailable',
          message: 'A card field did not answer.',
        },
      };
    }
    const checked = validateCard({
      values: { ...others, number: number.control.value() },
      fields,
      chosenBrand: number.brand().chosen,
      now: new Date(),
    });
    for (const field of fields) {
      const failed = checked.ok ? undefined : checked.errors.find((e) => e.field === field);
      show(field, failed?.code ?? null);
    }
    if (!checked.ok) {
      const first = checked.errors[0] ?? { field: 'number', code: 'incomplete_number' };
      const { field, code } = first;
      return {
        error: { type: 'validation_error', code, message: messages.errors[code], param: paramOf[field] },
      };
    }
    let response: Response;
    try {
      response = await fetch('/v1/tokens', {
        method: 'POST',
        headers: { Authorization: `Bearer ${config.publishableKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ card: checked.card, parent_origin: config.parentOrigin }),
        credentials: 'omit',
        cache: 'no-store',
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      const message = messages.errors.processing_error;
      return { error: { type: 'api_connection_error', code: 'network_error', message } };
    }
    const body = (await response.json().catch(() => null)) as {
      object?: string;
      error?: Partial<TokenizeError>;
    } | null;
    if (response.ok && body?.object === 'token') return { token: body };
    const error: TokenizeError = {
      type: String(body?.error?.type ?? 'api_error'),
      code: String(body?.error?.code ?? 'processing_error'),
      message: String(body?.error?.message ?? messages.errors.processing_error),
    };
    if (body?.error?.param) error.param = String(body.error.param);
    const field = fieldOfParam(error.param);
    if (field) show(field, errorCodeOf(field, error.code), error.message);
    return { error };
  };

  return async (fields: readonly FieldName[]): Promise<TokenizeOutcome> => {
    if (busy) {
      return {
        error: {
          type: 'invalid_request_error',
          code: 'tokenize_in_progress',
          message: 'A tokenization is running.',
        },
      };
    }
    busy = true;
    try {
      return await run(fields);
    } finally {
      busy = false;
    }
  };
}
