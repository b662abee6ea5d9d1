import type { CoreDeps } from './deps.js';
import { applyAuthorization, inquiryDelayMs } from './outcomes.js';
import { attemptRef } from './payments.js';

/**
 * Resolves attempts whose outcome we did not learn: asks the provider (status inquiry) with
 * exponential backoff until it gives an answer. Also picks up attempts left `pending` by a
 * process that died mid-request (older than the idempotency lease). Never fails an attempt
 * on its own: only the provider's answer moves it.
 */
export async function recoverUnknownOutcomes(
  deps: CoreDeps,
  limit = 50,
): Promise<{ asked: number; resolved: number }> {
  const now = deps.clock.now();
  const due = await deps.store.attemptsDueForInquiry(now, limit, deps.idempotencyLeaseMs);
  let resolved = 0;
  for (const attempt of due) {
    const connector = deps.connectors.byName(attempt.connector);
    let answer: Awaited<ReturnType<NonNullable<typeof connector>['status']>> = { status: 'pending' };
    if (connector?.capabilities.statusInquiry) {
      answer = await connector.status(attemptRef(attempt)).catch(() => ({ status: 'pending' }) as const);
    }
    const done = await deps.store.transaction(async (tx) => {
      const payment = await tx.lockPaymentById(attempt.paymentId);
      const fresh = await tx.getAttempt(attempt.id);
      if (!payment || !fresh || (fresh.status !== 'unknown' && fresh.status !== 'pending')) return false;
      if (answer.status === 'pending' || answer.status === 'unknown') {
        const inquiries = fresh.inquiries + 1;
        await tx.updateAttempt({
          ...fresh,
          status: 'unknown',
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
  return { asked: due.length, resolved };
}
