import { createHash } from 'node:crypto';
import { TrueLayerProblem } from './errors.js';
import type { TrueLayerState } from './state.js';

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Runs a POST under TrueLayer's idempotency rules (https://docs.truelayer.com/docs/payments-api-errors):
 * the key (required, checked by the caller) is scoped to the client and remembered (TrueLayer: 30 days; here: the
 * emulator's life). The same key with the same request answers the stored response again; with
 * another request, 422 Idempotency-Key Reuse; while the first is still running, 409
 * Idempotency-Key Concurrency Conflict.
 */
export async function idempotent(
  state: TrueLayerState,
  scope: { clientId: string; key: string; method: string; path: string; body: string },
  run: () => Answer | Promise<Answer>,
): Promise<Answer> {
  const fingerprint = createHash('sha256')
    .update(`${scope.method} ${scope.path}\n${scope.body}`)
    .digest('hex');
  const scoped = `${scope.clientId}:${scope.key}`;
  const stored = state.idempotency.get(scoped);
  if (stored) {
    if (stored.fingerprint !== fingerprint) {
      return problemAnswer(
        new TrueLayerProblem(
          'idempotencyReuse',
          'The Idempotency-Key was already used for a different request.',
        ),
      );
    }
    if (!stored.done) {
      return problemAnswer(
        new TrueLayerProblem(
          'idempotencyConflict',
          'A request with this Idempotency-Key is still in progress.',
        ),
      );
    }
    return { status: stored.status, body: stored.body };
  }
  const entry = { fingerprint, status: 0, body: undefined as unknown, done: false };
  state.idempotency.set(scoped, entry);
  try {
    const answer = await settle(run);
    Object.assign(entry, answer, { done: true });
    return answer;
  } catch (err) {
    state.idempotency.delete(scoped);
    throw err;
  }
}

/** A refusal (problem details) is an answer like any other: stored and replayed under its key. */
export async function settle(run: () => Answer | Promise<Answer>): Promise<Answer> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof TrueLayerProblem) return problemAnswer(err);
    throw err;
  }
}

export function problemAnswer(err: TrueLayerProblem): Answer {
  return { status: err.body.status, body: err.body };
}
