import type { FastifyReply, FastifyRequest } from 'fastify';
import { PayPalError } from './errors.js';
import type { LinkBase } from './representations.js';

export type Prefer = 'minimal' | 'representation';

/** What a call produced: its status, and its body rendered from the current state when sent. */
export interface Outcome {
  status: number;
  /** `undefined` for no body (204 No Content). */
  render: (prefer: Prefer, base: LinkBase) => unknown;
}

/** `Prefer: return=representation` asks for the whole resource; anything else is minimal (PayPal's default). */
export const preferOf = (request: FastifyRequest): Prefer =>
  /return=representation/.test(String(request.headers.prefer ?? '')) ? 'representation' : 'minimal';

/**
 * PayPal-Request-Id (https://developer.paypal.com/reference/guidelines/idempotency/): a POST that
 * repeats a request id "returns the latest status of the previous request that used that same
 * header" — the resource as it is now, 200 instead of 201 (the 200 of the specs' capture and
 * authorize responses), or the same error again. PayPal does not compare bodies: a different
 * body under a used id gets that same stored answer, never a second payment. Ids are scoped to
 * the REST app (client id) and the operation's path. Calls are carried out at once, so a second
 * call with the same id always finds the first one's answer.
 */
export class RequestIds {
  private readonly stored = new Map<string, Outcome>();

  async run(
    clientId: string,
    request: FastifyRequest,
    path: string,
    execute: () => Outcome | Promise<Outcome>,
  ): Promise<Outcome> {
    const id = request.headers['paypal-request-id'];
    if (typeof id !== 'string' || id === '') return settle(execute);
    const key = `${clientId}\n${request.method} ${path}\n${id}`;
    const previous = this.stored.get(key);
    if (previous) return { status: previous.status === 201 ? 200 : previous.status, render: previous.render };
    const outcome = await settle(execute);
    // A 5xx is not remembered: the client retries it with the same id.
    if (outcome.status < 500) this.stored.set(key, outcome);
    return outcome;
  }
}

export async function settle(execute: () => Outcome | Promise<Outcome>): Promise<Outcome> {
  try {
    return await execute();
  } catch (err) {
    if (err instanceof PayPalError) return errorOutcome(err);
    throw err;
  }
}

export const errorOutcome = (err: PayPalError): Outcome => ({ status: err.status, render: () => err.body });

export function sendOutcome(
  reply: FastifyReply,
  outcome: Outcome,
  prefer: Prefer,
  base: LinkBase,
): FastifyReply {
  const body = outcome.render(prefer, base);
  if (body === undefined) return reply.code(204).send();
  return reply.code(outcome.status).type('application/json').send(body);
}
