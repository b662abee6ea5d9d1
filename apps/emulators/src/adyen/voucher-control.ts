import type { FastifyInstance } from 'fastify';
import type { AdyenState } from './state.js';
import { expireDueVouchers, payVoucher } from './vouchers.js';

/** How often unpaid vouchers are checked against their expiry. */
const SWEEP_MS = 1000;

/**
 * The control API's side of konbini vouchers (tests only): the store taking the shopper's cash,
 * and time passing so that vouchers expire without waiting days. Vouchers past their expiry are
 * closed within a second, or at once when the clock is moved or a voucher is paid.
 */
export async function voucherControlRoutes(
  app: FastifyInstance,
  opts: { state: AdyenState; now: () => Date },
): Promise<void> {
  const { state, now } = opts;
  const sweep = setInterval(() => expireDueVouchers(state, now()), SWEEP_MS);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.post<{ Params: { pspReference: string } }>(
    '/_control/adyen/vouchers/:pspReference/pay',
    async (request, reply) => {
      const paid = payVoucher(state, request.params.pspReference, now());
      if (!paid.ok) return reply.code(paid.status).send({ error: paid.error });
      return { pspReference: paid.payment.pspReference, status: paid.payment.voucher?.status };
    },
  );

  app.post<{ Body: { advanceMs?: unknown } }>('/_control/adyen/clock', async (request, reply) => {
    const advanceMs = request.body?.advanceMs;
    if (!Number.isInteger(advanceMs) || (advanceMs as number) < 0) {
      return reply.code(400).send({ error: 'advanceMs must be a non-negative integer' });
    }
    state.clockOffsetMs += advanceMs as number;
    const expired = expireDueVouchers(state, now());
    return { now: now().toISOString(), expired };
  });
  app.get('/_control/adyen/clock', async () => ({ now: now().toISOString(), offsetMs: state.clockOffsetMs }));
}
