import { randomBytes } from 'node:crypto';
import type { ProblemDetails } from '@payin/provider-wire/truelayer';

/**
 * Payments API v3 errors (https://docs.truelayer.com/docs/payments-api-errors): RFC 7807 problem
 * details, served as `application/problem+json`, each with a `trace_id` to quote to support and a
 * `type` that links the error-types page. One entry per problem type the emulator answers.
 */
const catalogue = {
  unauthenticated: { status: 401, title: 'Unauthenticated', anchor: 'unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden', anchor: 'forbidden' },
  invalidParameters: { status: 400, title: 'Invalid Parameters', anchor: 'invalid-parameters' },
  invalidState: { status: 400, title: 'Invalid State', anchor: 'invalid-state' },
  notFound: { status: 404, title: 'Not Found', anchor: 'not-found' },
  idempotencyConflict: {
    status: 409,
    title: 'Idempotency-Key Concurrency Conflict',
    anchor: 'idempotency-key-concurrency-conflict',
  },
  idempotencyReuse: { status: 422, title: 'Idempotency-Key Reuse', anchor: 'idempotency-key-reuse' },
  unknownError: { status: 500, title: 'Unknown Error', anchor: 'unknown-error' },
} as const;

export type ProblemType = keyof typeof catalogue;

export const newTraceId = () => randomBytes(16).toString('hex');

export function problem(
  type: ProblemType,
  detail?: string,
  errors?: Record<string, string[]>,
): ProblemDetails {
  const entry = catalogue[type];
  return {
    type: `https://docs.truelayer.com/docs/error-types#${entry.anchor}`,
    title: entry.title,
    status: entry.status,
    trace_id: newTraceId(),
    ...(detail ? { detail } : {}),
    ...(errors ? { errors } : {}),
  };
}

/** A refusal thrown by a handler and answered as its problem details. */
export class TrueLayerProblem extends Error {
  readonly body: ProblemDetails;
  constructor(type: ProblemType, detail?: string, errors?: Record<string, string[]>) {
    super(detail ?? catalogue[type].title);
    this.body = problem(type, detail, errors);
  }
}

/** Invalid Parameters with every bad field at once, keyed by JSON path as TrueLayer reports them. */
export function invalidParameters(errors: Record<string, string[]>): TrueLayerProblem {
  return new TrueLayerProblem('invalidParameters', 'Some fields are invalid.', errors);
}
