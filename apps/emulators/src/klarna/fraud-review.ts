import type { KlarnaState, OrderRecord } from './state.js';

export type FraudDecision = 'ACCEPTED' | 'REJECTED' | 'STOPPED';

/**
 * Klarna's manual review of a PENDING order ("Pending orders": usually 4 to 8 business hours,
 * at most 24): after `reviewMs` the persona's decision is applied and pushed to the merchant.
 * A rejected or stopped order must not be shipped; Klarna cancels it, so it ends CANCELLED.
 */
export class FraudReview {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly state: KlarnaState,
    private readonly reviewMs: number,
  ) {}

  start(order: OrderRecord): void {
    const timer = setTimeout(() => {
      this.timers.delete(order.orderId);
      this.decide(order, order.pendingDecision ?? 'ACCEPTED');
    }, this.reviewMs);
    timer.unref();
    this.timers.set(order.orderId, timer);
  }

  /**
   * Ends the review now (the control API can also force a decision). STOPPED applies to any order
   * not yet captured, as Klarna may stop an order found fraudulent after it was accepted.
   */
  decide(order: OrderRecord, decision: FraudDecision): boolean {
    const pending = order.fraudStatus === 'PENDING';
    if (!pending && !(decision === 'STOPPED' && order.status === 'AUTHORIZED')) return false;
    const timer = this.timers.get(order.orderId);
    if (timer) clearTimeout(timer);
    this.timers.delete(order.orderId);
    delete order.pendingDecision;
    order.fraudStatus = decision === 'ACCEPTED' ? 'ACCEPTED' : 'REJECTED';
    if (decision !== 'ACCEPTED' && order.status === 'AUTHORIZED') {
      order.status = 'CANCELLED';
      order.remainingAuthorizedAmount = 0;
    }
    this.state.emit({ kind: 'fraud_decision', order, eventType: `FRAUD_RISK_${decision}` });
    return true;
  }

  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
