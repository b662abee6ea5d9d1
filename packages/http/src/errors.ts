/**
 * The contract's error shape for every payin HTTP server: whatever goes wrong in a request
 * (schema violation, unparsable body, unknown route, a thrown PayinError, a bug) answers
 * `{"error": {...}}` with the right status, and never echoes card data.
 */
import { errors, maskCardNumbers, PayinError } from '@payin/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STORABLE_TEXT } from './storable-text.js';

interface SchemaError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** `/metadata/order_id` → `metadata[order_id]`, the way Stripe-style APIs name nested params. */
function paramName(path: string): string {
  const [first = '', ...rest] = path.split('/').filter(Boolean);
  return first + rest.map((p) => `[${p}]`).join('');
}

/** Turns the first schema violation into a message a developer can act on. */
export function validationError(list: SchemaError[], context: string): PayinError {
  const relevant =
    list.find((e) => e.keyword === 'additionalProperties') ??
    list.find((e) => e.keyword !== 'boolean') ??
    list[0];
  if (!relevant) return errors.invalidParameter(context, `Invalid ${context}.`);
  const where = paramName(relevant.instancePath);
  const join = (p: string) => (where ? `${where}[${p}]` : p);
  if (relevant.keyword === 'required') {
    const missing =
      (relevant.params.requiredProperties as string[] | undefined)?.[0] ??
      String(relevant.params.missingProperty ?? '');
    return errors.missingParameter(join(missing));
  }
  if (relevant.keyword === 'additionalProperties') {
    const extra = (relevant.params.additionalProperties as string[] | undefined)?.[0] ?? '';
    return errors.invalidParameter(join(extra), `Received unknown parameter: ${join(extra)}.`);
  }
  if (!where) {
    return context === 'body'
      ? errors.invalidParameter('body', 'The request body must be a JSON object.')
      : errors.invalidParameter(context, `Invalid ${context}: ${relevant.message ?? 'bad value'}.`);
  }
  // The storable-text pattern is unreadable in a message: say what it refuses.
  const message =
    relevant.keyword === 'pattern' && String(relevant.params.pattern ?? '').endsWith(STORABLE_TEXT.slice(1))
      ? 'must not contain NUL characters or unpaired surrogates'
      : (relevant.message ?? 'bad value');
  return errors.invalidParameter(where, `Invalid ${where}: ${message}.`);
}

function toPayinError(
  err: FastifyError & { validation?: SchemaError[]; validationContext?: string },
): PayinError {
  if (err instanceof PayinError) return err;
  if (err.validation) return validationError(err.validation, err.validationContext ?? 'body');
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errors.bodyTooLarge();
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errors.unsupportedMediaType();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return errors.invalidJson('The request body is empty; send a JSON object (or no Content-Type header).');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return errors.invalidJson('The request body is not valid JSON.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errors.invalidJson('Content-Length does not match the body sent.');
  }
  if (err instanceof SyntaxError || err.statusCode === 400) {
    // JSON.parse failures, prototype-poisoning refusals, nesting too deep to parse.
    // The parser's message may quote the body (card data included): never echo it.
    return errors.invalidJson('The request body could not be parsed as JSON.');
  }
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return errors.invalidJson('The request body is nested too deeply.');
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return new PayinError(err.statusCode, { type: 'invalid_request_error', message: err.message });
  }
  return errors.internal();
}

/** Error bodies can quote what the client sent (a parameter name): card numbers are masked. */
export function sendError(reply: FastifyReply, error: PayinError) {
  if (error.retryAfter !== undefined) reply.header('Retry-After', String(error.retryAfter));
  return reply
    .code(error.status)
    .type('application/json; charset=utf-8')
    .send(maskCardNumbers(JSON.stringify(error.toJSON())));
}

export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply) => {
    const error = toPayinError(err);
    if (error.status >= 500) request.log.error({ err }, 'request failed');
    return sendError(reply, error);
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, errors.routeNotFound(request.method, request.url.split('?')[0] ?? '')),
  );
}
