import type { PaymentObserver } from '@payin/core';
import type { FastifyInstance } from 'fastify';
import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one api process; its own registry so tests can run several apps. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'payin_' });
  const requestDuration = new Histogram({
    name: 'payin_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status code.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const paymentOutcomes = new Counter({
    name: 'payin_payment_outcomes_total',
    help: 'Payments reaching a status after a provider answer, by connector and status.',
    labelNames: ['connector', 'status'] as const,
    registers: [registry],
  });
  const providerCalls = new Histogram({
    name: 'payin_provider_call_duration_seconds',
    help: 'Provider call latency by connector, operation and outcome.',
    labelNames: ['connector', 'operation', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const providerNotifications = new Counter({
    name: 'payin_provider_notifications_total',
    help: "Providers' notifications (webhooks) applied, by connector and result (applied, unchanged, ignored, unmatched, unreadable).",
    labelNames: ['connector', 'result'] as const,
    registers: [registry],
  });
  const observer: PaymentObserver = {
    providerNotification: (connector, result) => providerNotifications.inc({ connector, result }),
    paymentOutcome: (connector, status) => paymentOutcomes.inc({ connector, status }),
    providerCall: (connector, operation, outcome, seconds) =>
      providerCalls.observe({ connector, operation, outcome }, seconds),
  };
  return { registry, requestDuration, observer };
}

export type Metrics = ReturnType<typeof createMetrics>;

export function registerMetrics(app: FastifyInstance, metrics: Metrics) {
  app.addHook('onResponse', async (request, reply) => {
    metrics.requestDuration.observe(
      {
        method: request.method,
        // The route pattern, never the raw URL: ids in paths would explode the label space.
        route: request.routeOptions.url ?? 'unmatched',
        status_code: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.get('/metrics', { schema: { hide: true }, config: { auth: 'none' } }, async (_request, reply) => {
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
