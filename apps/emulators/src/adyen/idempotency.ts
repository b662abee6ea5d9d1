import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdyenError } from './errors.js';
import type { AdyenState } from './state.js';

export interface Answer {
  status: number;
  body: unknown;
}

/**
 * Runs a Checkout call under Adyen's idempotency rules (https://docs.adyen.com/development-resources/api-idempotency):
 * keys of up to 64 characters, scoped to the account (here: the API key), kept at least 31 days
 * (here: for the emulator's life). The same key with the same request answers the first
 * response again, echoing the Idempotency-Key header; a duplicate that arrives while the first
 * is still running gets 704 with `transient-error: true`; the key with another request gets 704
 * without it.
 */
export async function idempotent(
  state: AdyenState,
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Answer | Promise<Answer>,
): Promise<FastifyReply> {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') return send(reply, await settle(run));
  reply.header('Idempotency-Key', key);
  if (key.length > 64) return send(reply, errorAnswer(new AdyenError('idempotencyKeyTooLong')));

  // v71 and v72 share one key space, as they share one account.
  const path = request.url.replace(/^\/adyen\/checkout\/v\d+/, '');
  const fingerprint = createHash('sha256')
    .update(`${request.method} ${path}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const scoped = `${request.headers['x-api-key']}:${key}`;
  const stored = state.idempotency.get(scoped);
  if (stored) {
    if (stored.fingerprint !== fingerprint)
      return send(reply, errorAnswer(new AdyenError('idempotencyKeyReused')));
    if (!stored.done) {
      reply.header('transient-error', 'true');
      return send(reply, errorAnswer(new AdyenError('idempotencyInProgress')));
    }
    return send(reply, { status: stored.status, body: stored.body });
  }
  const entry = { fingerprint, status: 0, body: undefined as unknown, done: false };
  state.idempotency.set(scoped, entry);
  const answer = await settle(run);
  Object.assign(entry, answer, { done: true });
  return send(reply, answer);
}

async function settle(run: () => Answer | Promise<Answer>): Promise<Answer> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AdyenError) return errorAnswer(err);
    throw err;
  }
}

function errorAnswer(err: AdyenError): Answer {
  return { status: err.body.status ?? 422, body: err.body };
}

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  return reply.code(answer.status).type('application/json').send(answer.body);
}
