import { createHmac, randomBytes } from 'node:crypto';
import type { NotificationRequestItem as WireNotificationItem } from '@payin/provider-wire/adyen';
import { type Delivery, DeliveryQueue, doublingRetry } from '../delivery-queue.js';
import type { AdyenFaults } from './faults.js';
import type { AdyenState, PaymentEvent } from './state.js';

type UnsignedItem = Omit<WireNotificationItem, 'additionalData'>;
/**
 * The generic item's additionalData schema lacks `hmacSignature`; each event's own schema
 * (CaptureAdditionalData, AuthorisationNotificationAdditionalData…) has it.
 */
export type NotificationRequestItem = UnsignedItem & { additionalData: { hmacSignature: string } };
type EventCode = UnsignedItem['eventCode'];

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** Hex, as the Customer Area shows it. */
  hmacKey: string;
}

export interface WebhookDelivery extends Delivery {
  id: string;
  endpointId: string;
  eventCode: EventCode;
  pspReference: string;
  success: string;
  attempts: number;
  delivered: boolean;
  /** Lost on purpose (a webhook fault): not sent unless resent (POST /_control/adyen/webhooks/resend). */
  dropped?: boolean;
  lastError?: string;
  item: NotificationRequestItem;
}

/**
 * Adyen's HMAC signature of a standard webhook
 * (https://docs.adyen.com/development-resources/webhooks/verify-hmac-signatures): HMAC-SHA256,
 * keyed with the hex-decoded key, over pspReference, originalReference, merchantAccountCode,
 * merchantReference, value, currency, eventCode and success joined by colons (an absent field is
 * empty), base64-encoded — the same string as the official Node library's HmacValidator.
 */
export function hmacSignature(item: UnsignedItem, hmacKey: string): string {
  const signed = [
    item.pspReference,
    item.originalReference ?? '',
    item.merchantAccountCode,
    item.merchantReference,
    item.amount.value,
    item.amount.currency,
    item.eventCode,
    item.success,
  ].join(':');
  return createHmac('sha256', Buffer.from(hmacKey, 'hex')).update(signed, 'utf8').digest('base64');
}

const modificationEvents = {
  capture: ['CAPTURE', 'CAPTURE_FAILED'],
  refund: ['REFUND', 'REFUND_FAILED'],
  cancel: ['CANCELLATION', 'CANCELLATION'],
  reversal: ['CANCEL_OR_REFUND', 'CANCEL_OR_REFUND'],
} as const satisfies Record<string, readonly [EventCode, EventCode]>;

/** The standard notifications Adyen sends for one event, unsigned. */
export function notificationsFor(event: PaymentEvent, now: Date): UnsignedItem[] {
  const payment = event.payment;
  const common = {
    eventDate: now.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
    merchantAccountCode: payment.merchantAccount,
    paymentMethod: payment.brand,
  };
  const ofPayment = {
    ...common,
    pspReference: payment.pspReference,
    merchantReference: payment.reference,
    amount: payment.amount,
  };
  if (event.kind === 'authorisation') {
    const { resultCode, refusalReason } = event.answer;
    const success = resultCode === 'Authorised';
    // A shopper who cancels in their bank or wallet app: no refusal reason, the payment is Cancelled.
    const reason = refusalReason ?? (resultCode === 'Cancelled' ? 'Cancelled' : 'Refused');
    return [
      { ...ofPayment, eventCode: 'AUTHORISATION', success: String(success), ...(success ? {} : { reason }) },
    ];
  }
  // Webhooks-v1 OFFER_CLOSED ("The offer expired"): success "true", an empty reason, as its example.
  if (event.kind === 'offerClosed')
    return [{ ...ofPayment, eventCode: 'OFFER_CLOSED', success: 'true', reason: '' }];
  const modification = event.modification;
  const [code, lateCode] = modificationEvents[modification.type];
  const item = {
    ...common,
    pspReference: modification.pspReference,
    originalReference: payment.pspReference,
    merchantReference: modification.reference ?? payment.reference,
    amount: modification.amount ?? payment.amount,
  };
  if (modification.failedLate) {
    return [
      { ...item, eventCode: code, success: 'true' },
      { ...item, eventCode: lateCode, success: 'true', reason: modification.reason ?? 'Failed' },
    ];
  }
  const success = modification.status === 'succeeded';
  return [
    {
      ...item,
      eventCode: code,
      success: String(success),
      ...(success ? {} : { reason: modification.reason }),
    },
  ];
}

export interface WebhookSenderOptions {
  /** Dropped, duplicated or delayed notifications (the control API's webhook faults). */
  faults?: AdyenFaults;
  /** First retry delay; doubled each attempt up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  now?: () => Date;
}

/**
 * Posts standard notifications to the registered endpoints after the API answer, one item per
 * request, and retries until the receiver answers `[accepted]` (Adyen keeps retrying an endpoint
 * that does not; its schedule is minutes to hours, here a short doubling backoff).
 */
export class AdyenWebhookSender {
  readonly endpoints: WebhookEndpoint[] = [];
  private readonly queue: DeliveryQueue<WebhookDelivery>;
  /** Where each delivery goes (its endpoint when it was made). */
  private readonly targets = new WeakMap<WebhookDelivery, WebhookEndpoint>();

  constructor(
    state: AdyenState,
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

  addEndpoint(url: string, hmacKey: string): WebhookEndpoint {
    const endpoint = { id: `wh_${randomBytes(6).toString('hex')}`, url, hmacKey };
    this.endpoints.push(endpoint);
    return endpoint;
  }

  private publish(event: PaymentEvent): void {
    const now = this.opts.now?.() ?? new Date();
    for (const unsigned of notificationsFor(event, now)) {
      for (const endpoint of this.endpoints) {
        const item: NotificationRequestItem = {
          ...unsigned,
          additionalData: { hmacSignature: hmacSignature(unsigned, endpoint.hmacKey) },
        };
        const delivery: WebhookDelivery = {
          id: `dl_${randomBytes(6).toString('hex')}`,
          endpointId: endpoint.id,
          eventCode: item.eventCode,
          pspReference: item.pspReference,
          success: item.success,
          attempts: 0,
          delivered: false,
          item,
        };
        this.targets.set(delivery, endpoint);
        this.queue.enqueue(delivery, (original) => {
          const twin = { ...original, id: `dl_${randomBytes(6).toString('hex')}`, attempts: 0 };
          this.targets.set(twin, endpoint);
          return twin;
        });
      }
    }
  }

  /**
   * Sends again, now, every notification that was dropped or has not been acknowledged with
   * `[accepted]` yet, as the Customer Area's resend does: the same signed item, retried as before
   * until accepted.
   */
  resend(): number {
    return this.queue.resend((delivery) => this.targets.has(delivery));
  }

  /** One attempt: accepted when the receiver answers `[accepted]`, as Adyen requires. */
  private async send(delivery: WebhookDelivery): Promise<string | undefined> {
    const endpoint = this.targets.get(delivery);
    if (!endpoint) return 'no endpoint';
    const body = { live: 'false', notificationItems: [{ NotificationRequestItem: delivery.item }] };
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (response.ok && text.includes('[accepted]')) return undefined;
    return `HTTP ${response.status}: ${text.slice(0, 200)}`;
  }

  close(): void {
    this.queue.close();
  }
}
