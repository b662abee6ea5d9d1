import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { KlarnaError } from './errors.js';
import type { KlarnaState } from './state.js';

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Runs a call under Klarna's `Klarna-Idempotency-Key` header (Order Management API:
 * "Idempotency-Key … to ensure the operation is only performed once"): the same key with the same
 * request answers what the first call answered, without doing it again; the key with another
 * request is a 409 CONFLICT. Keys are scoped to the API username.
 */
export async function idempotent(
  state: KlarnaState,
  merchant: string,
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Answer | Promise<Answer>,
): Promise<FastifyReply> {
  const key = request.headers['klarna-idempotency-key'];
  if (typeof key !== 'string' || key === '') return send(reply, await settle(run));
  const fingerprint = createHash('sha256')
    .update(`${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');
  const scoped = `${merchant}:${key}`;
  const stored = state.idempotency.get(scoped);
  if (stored) {
    if (stored.fingerprint !== fingerprint) return send(reply, errorAnswer(new KlarnaError('conflict')));
    return send(reply, stored);
  }
  const answer = await settle(run);
  // Only what was done is remembered: a refused call may be retried with the same key.
  if (answer.status < 400)
    state.idempotency.set(scoped, {
      fingerprint,
      status: answer.status,
      headers: answer.headers ?? {},
      body: answer.body,
    });
  return send(reply, answer);
}

async function settle(run: () => Answer | Promise<Answer>): Promise<Answer> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof KlarnaError) return errorAnswer(err);
    throw err;
  }
}

const errorAnswer = (err: KlarnaError): Answer => ({ status: err.status, body: err.body });

function send(reply: FastifyReply, answer: Answer): FastifyReply {
  reply.code(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) reply.header(name, value);
  if (answer.body === undefined) return reply.send();
  return reply.type('application/json').send(answer.body);
}
