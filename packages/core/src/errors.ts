/**
 * Every error payin answers with, in one table. Nothing else builds an error body: routes,
 * services and hooks throw a PayinError from here and the api turns it into the contract's
 * shape `{"error": {type, code?, message, param?, decline_code?, payment?}}`.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'card_error'
  | 'idempotency_error'
  | 'rate_limit_error'
  | 'api_error';

export interface ErrorBody {
  type: ErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  payment?: string;
}

export class PayinError extends Error {
  readonly status: number;
  readonly body: ErrorBody;
  /** Seconds a client should wait before trying again (429 only). */
  retryAfter?: number;

  constructor(status: number, body: ErrorBody) {
    super(body.message);
    this.name = 'PayinError';
    this.status = status;
    this.body = body;
  }

  toJSON(): { error: ErrorBody } {
    return { error: this.body };
  }
}

export const errors = {
  invalidParameter: (param: string, message: string) =>
    new PayinError(400, { type: 'invalid_request_error', code: 'parameter_invalid', param, message }),
  missingParameter: (param: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'parameter_missing',
      param,
      message: `Missing required parameter: ${param}.`,
    }),
  /** The method exists but is not offered for this payment's country, currency or amount. */
  methodUnavailable: (message: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'payment_method_unavailable',
      param: 'payment_method',
      message,
    }),
  invalidJson: (message: string) =>
    new PayinError(400, { type: 'invalid_request_error', code: 'invalid_json', message }),
  bodyTooLarge: () =>
    new PayinError(413, {
      type: 'invalid_request_error',
      code: 'request_too_large',
      message: 'The request body is larger than the 1 MB limit.',
    }),
  unsupportedMediaType: () =>
    new PayinError(415, {
      type: 'invalid_request_error',
      code: 'unsupported_media_type',
      message: 'Send the request body as JSON with Content-Type: application/json.',
    }),
  unexpectedState: (paymentId: string, status: string, action: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'payment_unexpected_state',
      payment: paymentId,
      message: `This payment's status is ${status}; it cannot be ${action}.`,
    }),
  operationInProgress: (paymentId: string, message: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'payment_unexpected_state',
      payment: paymentId,
      message,
    }),
  amountTooLarge: (param: string, message: string, paymentId?: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'amount_too_large',
      param,
      message,
      ...(paymentId ? { payment: paymentId } : {}),
    }),
  refundUnavailable: (paymentId: string, message: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'charge_not_refundable',
      payment: paymentId,
      message,
    }),
  notFound: (kind: string, id: string, param?: string) =>
    new PayinError(404, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      message: `No such ${kind}: '${id}'`,
      ...(param ? { param } : {}),
    }),
  routeNotFound: (method: string, url: string) =>
    new PayinError(404, {
      type: 'invalid_request_error',
      code: 'route_missing',
      message: `Unrecognized request URL (${method}: ${url}).`,
    }),
  methodNotAllowed: (method: string, url: string) =>
    new PayinError(405, {
      type: 'invalid_request_error',
      code: 'method_not_allowed',
      message: `${method} is not allowed on ${url}.`,
    }),
  missingKey: () =>
    new PayinError(401, {
      type: 'authentication_error',
      code: 'api_key_missing',
      message: 'No API key provided. Send it as Authorization: Bearer <key>.',
    }),
  invalidKey: () =>
    new PayinError(401, {
      type: 'authentication_error',
      code: 'api_key_invalid',
      message: 'Invalid API key provided.',
    }),
  wrongKeyKind: (expected: 'secret' | 'publishable' | 'admin') =>
    new PayinError(401, {
      type: 'authentication_error',
      code: 'api_key_wrong_kind',
      message:
        expected === 'secret'
          ? 'This endpoint needs a secret key (sk_…); a publishable key cannot be used here.'
          : expected === 'admin'
            ? 'This endpoint needs the admin token.'
            : 'This endpoint needs a publishable key (pk_…).',
    }),
  cardDeclined: (paymentId: string, declineCode: string, message: string, code = 'card_declined') =>
    new PayinError(402, { type: 'card_error', code, decline_code: declineCode, message, payment: paymentId }),
  paymentFailed: (paymentId: string, code: string, message: string) =>
    new PayinError(402, { type: 'card_error', code, message, payment: paymentId }),
  idempotencyInFlight: () =>
    new PayinError(409, {
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
      message: 'A request with this Idempotency-Key is still being processed. Retry once it has finished.',
    }),
  idempotencyMismatch: () =>
    new PayinError(422, {
      type: 'idempotency_error',
      code: 'idempotency_key_reused',
      message:
        'This Idempotency-Key was already used with different parameters. Use a new key for a new request.',
    }),
  rateLimited: (retryAfterSeconds: number, message = 'Too many requests. Slow down and retry later.') => {
    const e = new PayinError(429, { type: 'rate_limit_error', code: 'rate_limit', message });
    e.retryAfter = retryAfterSeconds;
    return e;
  },
  connectorUnavailable: (message: string) =>
    new PayinError(400, { type: 'invalid_request_error', code: 'connector_unavailable', message }),
  internal: () =>
    new PayinError(500, {
      type: 'api_error',
      message: 'Something went wrong on our side. The request can be retried with the same Idempotency-Key.',
    }),
  unavailable: (message: string) => new PayinError(503, { type: 'api_error', code: 'unavailable', message }),

  // The vault's refusals. Messages name the field, never its value.
  invalidCard: (
    code: 'invalid_number' | 'invalid_expiry_month' | 'invalid_expiry_year' | 'expired_card' | 'invalid_cvc',
    param: string,
    message: string,
  ) => new PayinError(400, { type: 'invalid_request_error', code, param, message }),
  originNotAllowed: () =>
    new PayinError(403, {
      type: 'invalid_request_error',
      code: 'origin_not_allowed',
      message:
        "This page's origin is not registered for this publishable key. Register it with POST /v1/allowed_origins.",
    }),
  serviceAuthFailed: (reason: string) =>
    new PayinError(401, {
      type: 'authentication_error',
      code: 'service_signature_invalid',
      message: `This endpoint takes a payin service signature (Payin-Service-Signature): ${reason}.`,
    }),
  tokenMissing: (tokenId: string, param: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'resource_missing',
      param,
      message: `No such token: '${tokenId}'. Tokens belong to the merchant and mode that created them.`,
    }),
  tokenExpired: (tokenId: string, param?: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'token_expired',
      message: `Token '${tokenId}' has expired; tokenize the card again.`,
      ...(param ? { param } : {}),
    }),
  placeholderUnavailable: (placeholder: string, message: string) =>
    new PayinError(400, {
      type: 'invalid_request_error',
      code: 'placeholder_unavailable',
      param: 'request',
      message: `${placeholder}: ${message}`,
    }),
  proxyRefused: (code: 'host_not_allowed' | 'placeholder_in_url' | 'invalid_url', message: string) =>
    new PayinError(400, { type: 'invalid_request_error', code, param: 'request[url]', message }),
  upstreamFailed: (code: 'upstream_timeout' | 'upstream_unreachable', message: string) =>
    new PayinError(code === 'upstream_timeout' ? 504 : 502, { type: 'api_error', code, message }),
} as const;
