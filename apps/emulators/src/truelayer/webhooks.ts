import { randomUUID } from 'node:crypto';
import type { TrueLayerWebhook } from '@payin/provider-wire/truelayer';
import { type Delivery, DeliveryQueue, doublingRetry } from '../delivery-queue.js';
import type { EmulatorClock } from './clock.js';
import type { TrueLayerFaults } from './faults.js';
import { paymentSource, webhookPaymentMethod } from './payments.js';
import type { WebhookSigner } from './signing.js';
import type { TrueLayerEvent, TrueLayerState } from './state.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** The client whose payments it hears about (Console's webhook URI is set per client). */
  clientId: string;
}

export interface WebhookDelivery extends Delivery {
  id: string;
  endpointId: string;
  type: TrueLayerWebhook['type'];
  eventId: string;
  paymentId: string;
  attempts: number;
  delivered: boolean;
  /** Lost on purpose (a webhook fault). */
  dropped?: boolean;
  lastError?: string;
  body: TrueLayerWebhook;
}

const iso = (date: Date | undefined) => (date ?? new Date(0)).toISOString();

/** The body TrueLayer sends for an event (https://docs.truelayer.com/docs/payment-webhook-specifications). */
export function webhookBody(event: TrueLayerEvent): TrueLayerWebhook {
  const p = event.payment;
  const base = { event_id: randomUUID(), event_version: 1, ...(p.metadata ? { metadata: p.metadata } : {}) };
  const method = webhookPaymentMethod(p);
  switch (event.type) {
    case 'payment_authorized':
      return {
        ...base,
        type: event.type,
        payment_id: p.id,
        payment_method: method,
        authorized_at: iso(p.authorizedAt),
      };
    case 'payment_executed':
      return {
        ...base,
        type: event.type,
        payment_id: p.id,
        payment_method: method,
        executed_at: iso(p.executedAt),
      };
    case 'payment_settled': {
      const source = paymentSource(p);
      return {
        ...base,
        type: event.type,
        payment_id: p.id,
        payment_method: method,
        settled_at: iso(p.settledAt),
        user_id: p.user.id,
        ...(source
          ? { payment_source: source }
          : { payment_source: { id: '', account_holder_name: '', account_identifiers: [] } }),
      };
    }
    case 'payment_failed':
      return {
        ...base,
        type: event.type,
        payment_id: p.id,
        payment_method: method,
        failed_at: iso(p.failedAt),
        failure_stage: p.failureStage ?? 'authorization_required',
        failure_reason: p.failureReason ?? 'unknown_error',
      };
    case 'refund_executed':
      return {
        event_id: base.event_id,
        event_version: 1,
        ...(event.refund.metadata ? { metadata: event.refund.metadata } : {}),
        type: event.type,
        refund_id: event.refund.id,
        payment_id: p.id,
        executed_at: iso(event.refund.executedAt),
      };
    case 'refund_failed':
      return {
        event_id: base.event_id,
        event_version: 1,
        ...(event.refund.metadata ? { metadata: event.refund.metadata } : {}),
        type: event.type,
        refund_id: event.refund.id,
        payment_id: p.id,
        failed_at: iso(event.refund.failedAt),
        failure_reason: event.refund.failureReason ?? 'unknown',
      };
  }
}

export interface WebhookSenderOptions {
  signer: WebhookSigner;
  /** The JWKS URL the signatures' `jku` names (read per delivery: known once listening). */
  jku: () => string;
  clock: EmulatorClock;
  faults?: TrueLayerFaults;
  /** `payment_authorized` is opt-in at TrueLayer (disabled by default); on here when true. */
  paymentAuthorized: boolean;
  /** First retry delay; doubled each attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
}

/**
 * Posts each event to the client's registered endpoints, signed with `Tl-Signature` over the
 * method, the endpoint's path, `X-TL-Webhook-Timestamp` and the body. Any 2xx is a delivery; any
 * other answer is retried with a doubling backoff (TrueLayer: jittered exponential backoff for up
 * to 72 hours), each attempt stamped and signed anew.
 */
export class TrueLayerWebhookSender {
  readonly endpoints: WebhookEndpoint[] = [];
  private readonly queue: DeliveryQueue<WebhookDelivery>;

  constructor(
    state: TrueLayerState,
    private readonly opts: WebhookSenderOptions,
  ) {
    this.queue = new DeliveryQueue<WebhookDelivery>({
      faults: opts.faults,
      send: (delivery) => this.send(delivery),
      nextRetryMs: doublingRetry(opts.retryBaseMs, opts.retryMaxMs),
    });
    state.onEvent((event) => this.publish(event));
  }

  get deliveries(): WebhookDelivery[] {
    return this.queue.deliveries;
  }

  addEndpoint(url: string, clientId: string): WebhookEndpoint {
    const endpoint = { id: `wh_${randomUUID()}`, url, clientId };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  private publish(event: TrueLayerEvent): void {
    if (event.type === 'payment_authorized' && !this.opts.paymentAuthorized) return;
    const body = webhookBody(event);
    for (const endpoint of this.endpoints.filter((e) => e.clientId === event.payment.clientId)) {
      const delivery: WebhookDelivery = {
        id: `dl_${randomUUID()}`,
        endpointId: endpoint.id,
        type: body.type,
        eventId: body.event_id,
        paymentId: event.payment.id,
        attempts: 0,
        delivered: false,
        body,
      };
      // A duplicate is the same event (same event_id) twice: receivers must deduplicate on event_id.
      this.queue.enqueue(delivery, (original) => ({ ...original, id: `dl_${randomUUID()}`, attempts: 0 }));
    }
  }

  /** One attempt, stamped and signed anew: any 2xx is a delivery. */
  private async send(delivery: WebhookDelivery): Promise<string | undefined> {
    const endpoint = this.endpoints.find((candidate) => candidate.id === delivery.endpointId);
    if (!endpoint) return 'no endpoint';
    const text = JSON.stringify(delivery.body);
    // Second precision, as TrueLayer stamps it (2020-05-18T10:17:47Z).
    const timestamp = this.opts.clock
      .now()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    const signature = this.opts.signer.sign({
      path: new URL(endpoint.url).pathname,
      headers: { 'X-TL-Webhook-Timestamp': timestamp },
      body: text,
      jku: this.opts.jku(),
    });
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-TL-Webhook-Timestamp': timestamp,
        'Tl-Signature': signature,
      },
      body: text,
      signal: AbortSignal.timeout(10_000),
    });
    await response.arrayBuffer();
    return response.ok ? undefined : `HTTP ${response.status}`;
  }

  close(): void {
    this.queue.close();
  }
}
