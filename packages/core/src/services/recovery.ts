import type { StatusOutcome } from '../connector.js';
import type { AttemptRecord } from '../records.js';
import { attemptRef } from './attempts.js';
import { applyCapture } from './captures.js';
import type { CoreDeps } from './deps.js';
import { applyAuthorization, inquiryDelayMs } from './outcomes.js';
import { applyRefundOutcome } from './refunds.js';

/**
 * Resolves attempts whose outcome we did not learn, or that the provider took and will settle
 * later (`processing`): asks the provider (status inquiry) with exponential backoff until it
 * gives an answer, when it answers inquiries; a webhook may settle it first. Also picks up attempts left `pending` by a
 * process that died mid-request (older than the idempotency lease). Never fails an attempt
 * on its own: only the provider's answer moves it. Then retries lost captures and refunds.
 */
export async function recoverUnknownOutcomes(
  deps: CoreDeps,
  limit = 50,
): Promise<{ asked: number; resolved: number }> {
  const now = deps.clock.now();
  const due = await deps.store.attemptsDueForInquiry(now, limit, deps.idempotencyLeaseMs);
  let resolved = 0;
  for (const attempt of due) {
    if (attempt.status === 'requires_action') {
      if (await settleAbandonedAction(deps, attempt)) resolved++;
      continue;
    }
    const connector = await deps.connectors.forAttempt(attempt);
    let answer: Awaited<ReturnType<NonNullable<typeof connector>['status']>> = { status: 'pending' };
    if (connector?.capabilities.statusInquiry) {
      answer = await connector.status(attemptRef(attempt)).catch(() => ({ status: 'pending' }) as const);
    }
    const done = await deps.store.transaction(async (tx) => {
      const payment = await tx.lockPaymentById(attempt.paymentId);
      const fresh = await tx.getAttempt(attempt.id);
      if (!payment || !fresh || !['unknown', 'pending', 'processing'].includes(fresh.status)) return false;
      if (answer.status === 'pending' || answer.status === 'unknown' || answer.status === 'processing') {
        const inquiries = fresh.inquiries + 1;
        await tx.updateAttempt({
          ...fresh,
          // One the provider took stays so: "still processing" is no news.
          status: fresh.status === 'processing' ? 'processing' : 'unknown',
          inquiries,
          nextInquiryAt: new Date(now.getTime() + inquiryDelayMs(deps, inquiries)),
          updatedAt: now,
        });
        return false;
      }
      // A pending attempt (its request died) is first marked unknown, then takes the answer.
      const base = fresh.status === 'pending' ? { ...fresh, status: 'unknown' as const } : fresh;
      await applyAuthorization(deps, tx, payment, base, answer);
      return true;
    });
    if (done) resolved++;
  }
  await retryLostModifications(deps, limit);
  return { asked: due.length, resolved };
}

/**
 * An attempt whose shopper was sent to the provider (a bank, a wallet, a voucher) and did not
 * come back by its deadline. The provider is asked first: whatever it knows is applied. If it
 * is still waiting for the shopper, payin cancels the attempt there and, once the provider
 * confirms, fails it with `payment_expired`: the shopper can pay again, and nothing they do
 * later on the old page can move money. A provider that answers no inquiry (Adyen) settles it
 * by webhook when its own session ends; payin only keeps looking, less and less often.
 */
async function settleAbandonedAction(deps: CoreDeps, attempt: AttemptRecord): Promise<boolean> {
  const connector = await deps.connectors.forAttempt(attempt);
  let answer: StatusOutcome | undefined;
  if (connector?.capabilities.statusInquiry) {
    answer = await connector.status(attemptRef(attempt)).catch(() => undefined);
    if (
      answer &&
      (answer.status === 'pending' || answer.status === 'requires_action' || answer.status === 'unknown')
    ) {
      const canceled = await connector
        .cancel({ attempt: attemptRef(attempt), idempotencyKey: `${attempt.id}:expire` })
        .catch(() => undefined);
      answer =
        canceled?.status === 'succeeded'
          ? {
              status: 'failed',
              error: {
                code: 'payment_expired',
                message: 'The payment was not completed in time. Nothing was charged; it can be paid again.',
              },
            }
          : undefined;
    }
  }
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const payment = await tx.lockPaymentById(attempt.paymentId);
    const fresh = await tx.getAttempt(attempt.id);
    if (!payment || fresh?.status !== 'requires_action') return false;
    if (
      !answer ||
      answer.status === 'pending' ||
      answer.status === 'requires_action' ||
      answer.status === 'unknown'
    ) {
      const inquiries = fresh.inquiries + 1;
      await tx.updateAttempt({
        ...fresh,
        inquiries,
        nextInquiryAt: new Date(now.getTime() + inquiryDelayMs(deps, inquiries)),
        updatedAt: now,
      });
      return false;
    }
    return (await applyAuthorization(deps, tx, payment, fresh, answer)).changed;
  });
}

/**
 * Captures and refunds whose answer was lost (timeout, cut connection) are sent again with
 * their own idempotency key: the provider does not act twice, it answers what it did the
 * first time. Until it answers, the amount stays reserved, so nothing can be captured or
 * refunded twice meanwhile.
 */
export async function retryLostModifications(deps: CoreDeps, limit = 50): Promise<{ retried: number }> {
  const now = deps.clock.now();
  let retried = 0;
  for (const refund of await deps.store.refundsDueForRetry(now, limit)) {
    const attempt = await deps.store.getAttempt(refund.attemptId);
    const connector = attempt && (await deps.connectors.forAttempt(attempt));
    if (!attempt || !connector) continue;
    const outcome = await connector
      .refund({
        attempt: attemptRef(attempt),
        refundId: refund.id,
        idempotencyKey: refund.id,
        amount: refund.amount,
        currency: refund.currency,
        reason: refund.reason,
      })
      .catch((err: unknown) => ({ status: 'unknown', reason: String(err) }) as const);
    await deps.store.transaction(async (tx) => {
      const payment = await tx.lockPaymentById(refund.paymentId);
      const fresh = await tx.getRefund(refund, refund.id);
      if (!payment || fresh?.status !== 'pending' || !fresh.nextInquiryAt) return;
      await applyRefundOutcome(deps, tx, payment, { ...fresh, inquiries: fresh.inquiries + 1 }, outcome);
    });
    retried++;
  }
  for (const capture of await deps.store.capturesDueForRetry(now, limit)) {
    const attempt = await deps.store.getAttempt(capture.attemptId);
    const connector = attempt && (await deps.connectors.forAttempt(attempt));
    if (!attempt || !connector) continue;
    const outcome = await connector
      .capture({
        attempt: attemptRef(attempt),
        captureId: capture.id,
        idempotencyKey: capture.id,
        amount: capture.amount,
        final: capture.final,
      })
      .catch((err: unknown) => ({ status: 'unknown', reason: String(err) }) as const);
    await deps.store.transaction(async (tx) => {
      const payment = await tx.lockPaymentById(capture.paymentId);
      const fresh = await tx.getCapture(capture.id);
      if (!payment || fresh?.status === 'succeeded' || fresh?.status === 'failed' || !fresh?.nextInquiryAt)
        return;
      await applyCapture(deps, tx, payment, { ...fresh, inquiries: fresh.inquiries + 1 }, outcome);
    });
    retried++;
  }
  return { retried };
}
