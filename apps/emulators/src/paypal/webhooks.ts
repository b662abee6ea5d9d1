import { randomUUID } from 'node:crypto';
import type { WebhookEvent } from '@payin/provider-wire/paypal';
import { type Delivery, DeliveryQueue, doublingRetry } from '../delivery-queue.js';
import { eventOf } from './events.js';
import type { PayPalFaults } from './faults.js';
import type { LinkBase, Merchant } from './representations.js';
import { type SigningMaterial, signedMessage, signTransmission } from './signature.js';
import { type EventType, type PayPalEvent, type PayPalState, paypalId, timestamp } from './state.js';

export interface WebhookEndpoint {
  /** The webhook id PayPal gives a subscription: part of every signed message. */
  id: string;
  url: string;
  /** Event types subscribed to; `*` for all. */
  eventTypes: string[];
}

export interface WebhookDelivery extends Delivery {
  id: string;
  webhookId: string;
  eventId: string;
  eventType: EventType;
  resourceId: string;
  attempts: number;
  delivered: boolean;
  /** Lost on purpose (a webhook fault): not sent unless resent (POST /_control/paypal/webhooks/resend). */
  dropped?: boolean;
  lastError?: string;
  /** The raw body, exactly as sent (its CRC32 is signed). */
  body: string;
}

export interface WebhookSenderOptions {
  state: PayPalState;
  merchant: Merchant;
  signing: SigningMaterial;
  /** Where the events' links and the cert URL point (known once listening). */
  base: () => LinkBase;
  faults?: PayPalFaults;
  /** First retry delay; doubled each attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  now?: () => Date;
}

/** The id in the cert URL (PayPal's look like `CERT-360caa42-fca2a594-…`). */
export const CERT_ID = 'CERT-360caa42-fca2a594-emulator';

/**
 * Posts webhook events to the subscribed endpoints after the API answer, signed as PayPal signs
 * them, and retries any that does not answer 2xx (PayPal retries up to 25 times over 3 days;
 * here a short doubling backoff).
 */
export class PayPalWebhookSender {
  readonly endpoints: WebhookEndpoint[] = [];
  private readonly queue: DeliveryQueue<WebhookDelivery>;

  constructor(private readonly opts: WebhookSenderOptions) {
    this.queue = new DeliveryQueue<WebhookDelivery>({
      faults: opts.faults,
      send: (delivery) => this.send(delivery),
      nextRetryMs: doublingRetry(opts.retryBaseMs, opts.retryMaxMs),
    });
    opts.state.onEvent((event) => this.publish(event));
  }

  get deliveries(): WebhookDelivery[] {
    return this.queue.deliveries;
  }

  /** The PEM certificate served at the cert URL. */
  get certificate(): string {
    return this.opts.signing.certificate;
  }

  get certUrl(): string {
    return `${this.opts.base().api}/v1/notifications/certs/${CERT_ID}`;
  }

  addEndpoint(url: string, eventTypes: string[] = ['*'], id: string = paypalId()): WebhookEndpoint {
    const endpoint = { id, url, eventTypes };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  private publish(event: PayPalEvent): void {
    const now = this.opts.now?.() ?? new Date();
    const body: WebhookEvent = eventOf(event, {
      state: this.opts.state,
      merchant: this.opts.merchant,
      base: this.opts.base(),
      now,
    });
    const text = JSON.stringify(body);
    for (const endpoint of this.endpoints) {
      if (!endpoint.eventTypes.includes('*') && !endpoint.eventTypes.includes(event.type)) continue;
      const delivery: WebhookDelivery = {
        id: `dl_${paypalId(12)}`,
        webhookId: endpoint.id,
        eventId: body.id as string,
        eventType: event.type,
        resourceId: (body.resource as { id: string }).id,
        attempts: 0,
        delivered: false,
        body: text,
      };
      this.queue.enqueue(delivery, (original) => ({ ...original, id: `dl_${paypalId(12)}` }));
    }
  }

  /** The headers of one transmission of `body` to `endpoint`. */
  transmissionHeaders(webhookId: string, body: string, now: Date = new Date()): Record<string, string> {
    const transmissionId = randomUUID();
    const transmissionTime = timestamp(now);
    return {
      'Content-Type': 'application/json',
      'PAYPAL-TRANSMISSION-ID': transmissionId,
      'PAYPAL-TRANSMISSION-TIME': transmissionTime,
      'PAYPAL-TRANSMISSION-SIG': signTransmission(
        signedMessage(transmissionId, transmissionTime, webhookId, body),
        this.opts.signing.key,
      ),
      'PAYPAL-CERT-URL': this.certUrl,
      'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
    };
  }

  /** Sends again, now, every event dropped or not yet accepted (the dashboard's resend). */
  resend(): number {
    return this.queue.resend((delivery) => this.endpoints.some((e) => e.id === delivery.webhookId));
  }

  /** One attempt, signed anew: any 2xx is a delivery. */
  private async send(delivery: WebhookDelivery): Promise<string | undefined> {
    const endpoint = this.endpoints.find((candidate) => candidate.id === delivery.webhookId);
    if (!endpoint) return 'no endpoint';
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: this.transmissionHeaders(endpoint.id, delivery.body, this.opts.now?.()),
      body: delivery.body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.text();
    return response.ok ? undefined : `HTTP ${response.status}`;
  }

  close(): void {
    this.queue.close();
  }
}
