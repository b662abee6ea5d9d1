import { randomUUID } from 'node:crypto';
import type { FraudNotification, HppStatusCallback } from '@payin/provider-wire/klarna';
import { type Delivery, DeliveryQueue } from '../delivery-queue.js';
import type { KlarnaFaults } from './faults.js';
import { readHppSession } from './hpp.js';
import type { KlarnaEvent, KlarnaState } from './state.js';

export interface NotificationDelivery extends Delivery {
  id: string;
  kind: 'fraud_decision' | 'hpp_status';
  url: string;
  body: FraudNotification | HppStatusCallback;
  attempts: number;
  delivered: boolean;
  /** Lost on purpose (a notification fault). */
  dropped?: boolean;
  /** Retries used up without a 2xx. */
  abandoned?: boolean;
  lastError?: string;
}

export interface NotifierOptions {
  faults?: KlarnaFaults;
  /** Delay between attempts (Klarna: 10 minutes for pending orders, seconds for HPP callbacks). */
  retryMs: number;
}

/**
 * Klarna's two pushes to the merchant:
 * - pending orders ("Pending orders"): `{order_id, event_type}` POSTed to the order's
 *   `merchant_urls.notification` when a fraud review ends, retried until answered 200 (Klarna:
 *   every 10 minutes for 24 hours, i.e. 144 attempts);
 * - HPP status callbacks ("Status callbacks"): `{event_id, session}` POSTed to
 *   `merchant_urls.status_update` at every status change; a 2xx is expected within 3 seconds,
 *   else retried up to three times (4 calls in all).
 */
export class KlarnaNotifier {
  private readonly queue: DeliveryQueue<NotificationDelivery>;

  constructor(state: KlarnaState, opts: NotifierOptions) {
    this.queue = new DeliveryQueue<NotificationDelivery>({
      faults: opts.faults,
      send: (delivery) => send(delivery),
      nextRetryMs: (delivery) =>
        delivery.attempts >= (delivery.kind === 'hpp_status' ? 4 : 144) ? undefined : opts.retryMs,
    });
    state.onEvent((event) => this.publish(event));
  }

  get deliveries(): NotificationDelivery[] {
    return this.queue.deliveries;
  }

  private publish(event: KlarnaEvent): void {
    if (event.kind === 'fraud_decision') {
      const url = event.order.merchantUrls.notification;
      if (url)
        this.enqueue('fraud_decision', url, { order_id: event.order.orderId, event_type: event.eventType });
      return;
    }
    const url = event.session.merchantUrls.status_update;
    if (url) {
      const target = url.replaceAll('{{session_id}}', event.session.sessionId);
      this.enqueue('hpp_status', target, { event_id: randomUUID(), session: readHppSession(event.session) });
    }
  }

  private enqueue(kind: NotificationDelivery['kind'], url: string, body: NotificationDelivery['body']): void {
    const delivery: NotificationDelivery = {
      id: randomUUID(),
      kind,
      url,
      body,
      attempts: 0,
      delivered: false,
    };
    this.queue.enqueue(delivery, (original) => ({ ...original, id: randomUUID() }));
  }

  close(): void {
    this.queue.close();
  }
}

/** One attempt: any 2xx is an answer (a status callback within 3 seconds). */
async function send(delivery: NotificationDelivery): Promise<string | undefined> {
  const response = await fetch(delivery.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(delivery.body),
    signal: AbortSignal.timeout(delivery.kind === 'hpp_status' ? 3_000 : 10_000),
  });
  await response.arrayBuffer();
  return response.ok ? undefined : `HTTP ${response.status}`;
}
