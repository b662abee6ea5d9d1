import { randomUUID } from 'node:crypto';
import type { KlarnaErrorBody } from '@payin/provider-wire/klarna';

/**
 * Klarna's error answers, from one table. Every Klarna API answers the same body
 * (`error_code`, `error_messages`, `correlation_id`); the codes and statuses below are those of
 * Klarna's API reference: the Payments API's `BAD_VALUE` (400) for a field that fails
 * validation, and the Order Management table in "Manage orders with the API"
 * (docs.klarna.com/payments/after-payments/order-management/manage-orders-with-the-api): 403 for
 * an operation business rules forbid (`CAPTURE_NOT_ALLOWED`, `REFUND_NOT_ALLOWED`,
 * `CANCEL_NOT_ALLOWED`, `NOT_ALLOWED`), 404 for an unknown order, 409 for a conflict, 500
 * `INTERNAL_SERVER_ERROR`.
 */
export const klarnaErrors = {
  unauthorized: { status: 401, code: 'UNAUTHORIZED', message: 'Unauthorized' },
  badValue: { status: 400, code: 'BAD_VALUE', message: 'Bad value' },
  invalidJson: { status: 400, code: 'BAD_VALUE', message: 'Malformed JSON' },
  notFound: { status: 404, code: 'NOT_FOUND', message: 'Not found' },
  invalidAuthorizationToken: { status: 404, code: 'NOT_FOUND', message: 'Invalid authorization token' },
  noSuchOrder: { status: 404, code: 'NO_SUCH_ORDER', message: 'The order could not be found' },
  captureNotAllowed: { status: 403, code: 'CAPTURE_NOT_ALLOWED', message: 'Capture not allowed' },
  refundNotAllowed: { status: 403, code: 'REFUND_NOT_ALLOWED', message: 'Refund not allowed' },
  cancelNotAllowed: { status: 403, code: 'CANCEL_NOT_ALLOWED', message: 'Cancel not allowed' },
  notAllowed: { status: 403, code: 'NOT_ALLOWED', message: 'Operation not allowed' },
  conflict: { status: 409, code: 'CONFLICT', message: 'Idempotency key reused with another request' },
  internal: { status: 500, code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected server error' },
} as const satisfies Record<string, { status: number; code: string; message: string }>;

export type KlarnaErrorName = keyof typeof klarnaErrors;

/** An error a handler throws; the plugin's error handler answers it in Klarna's shape. */
export class KlarnaError extends Error {
  readonly status: number;
  readonly messages: string[];

  constructor(
    readonly kind: KlarnaErrorName,
    detail?: string,
  ) {
    super(detail ?? klarnaErrors[kind].message);
    this.status = klarnaErrors[kind].status;
    this.messages = [detail ?? klarnaErrors[kind].message];
  }

  get body(): KlarnaErrorBody {
    return errorBody(klarnaErrors[this.kind].code, this.messages);
  }
}

/** Klarna's error body; a fresh correlation id each time, as Klarna gives one per request. */
export function errorBody(code: string, messages: string[]): KlarnaErrorBody {
  return { error_code: code, error_messages: messages, correlation_id: randomUUID() };
}

/** The Payments API's validation failure: `BAD_VALUE` naming the field, e.g. "Bad value: order_amount". */
export const badValue = (field: string, why?: string) =>
  new KlarnaError('badValue', why ? `Bad value: ${field} (${why})` : `Bad value: ${field}`);
