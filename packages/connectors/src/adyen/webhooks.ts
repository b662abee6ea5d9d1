import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderFact } from '@payin/core';
import type { NotificationRequestItem } from '@payin/provider-wire/adyen';
import { declineForReason } from './errors.js';
import { adyenLocalTypes, localRefusal } from './local-methods.js';

const localTypes = new Set<string>([...Object.values(adyenLocalTypes), 'econtext_seven_eleven']);
/** Adyen's type of a local method named by a notification (`bizum`), or undefined for cards. */
const localTypeOf = (paymentMethod: unknown) =>
  typeof paymentMethod === 'string' && localTypes.has(paymentMethod) ? paymentMethod : undefined;

/**
 * Adyen's standard webhooks: a batch of NotificationRequestItems, each signed on its own with
 * the merchant's HMAC key (docs.adyen.com/development-resources/webhooks/verify-hmac-signatures).
 */
export type AdyenNotificationItem = Omit<NotificationRequestItem, 'additionalData'> & {
  additionalData?: NotificationRequestItem['additionalData'] & { hmacSignature?: string };
};

/** The items of a webhook body, or undefined when it is not Adyen's shape. */
export function notificationItems(body: unknown): AdyenNotificationItem[] | undefined {
  const list = (body as { notificationItems?: unknown } | null)?.notificationItems;
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const items = list.map(
    (entry) => (entry as { NotificationRequestItem?: unknown })?.NotificationRequestItem,
  );
  const valid = items.every(
    (item) =>
      typeof item === 'object' &&
      item !== null &&
      typeof (item as AdyenNotificationItem).pspReference === 'string' &&
      typeof (item as AdyenNotificationItem).eventCode === 'string' &&
      typeof (item as AdyenNotificationItem).success === 'string' &&
      typeof (item as AdyenNotificationItem).amount === 'object' &&
      (item as AdyenNotificationItem).amount !== null,
  );
  return valid ? (items as AdyenNotificationItem[]) : undefined;
}

/**
 * The string Adyen signs: pspReference, originalReference, merchantAccountCode,
 * merchantReference, amount value, currency, eventCode and success, joined by colons, an
 * absent field empty.
 */
export function signingString(item: AdyenNotificationItem): string {
  return [
    item.pspReference,
    item.originalReference ?? '',
    item.merchantAccountCode,
    item.merchantReference,
    item.amount?.value ?? '',
    item.amount?.currency ?? '',
    item.eventCode,
    item.success,
  ].join(':');
}

/** Whether the item carries a valid signature for this hex HMAC key (compared in constant time). */
export function verifyNotification(item: AdyenNotificationItem, hmacKey: string): boolean {
  const given = item.additionalData?.hmacSignature;
  if (typeof given !== 'string' || !/^[0-9a-fA-F]+$/.test(hmacKey) || hmacKey.length % 2 !== 0) return false;
  const expected = createHmac('sha256', Buffer.from(hmacKey, 'hex'))
    .update(signingString(item), 'utf8')
    .digest();
  // Strict base64 of 32 bytes: Node's decoder skips what is not base64, letting junk through.
  if (!/^[A-Za-z0-9+/]{43}=$/.test(given)) return false;
  const received = Buffer.from(given, 'base64');
  return received.length === expected.length && timingSafeEqual(received, expected);
}

/**
 * What makes two deliveries one notification: Adyen retries and may send an event twice with
 * the same pspReference, event code and success (a CAPTURE_FAILED after a CAPTURE is another).
 */
export function eventKey(item: AdyenNotificationItem): string {
  return [item.eventCode, item.pspReference, item.originalReference ?? '', item.success].join(':');
}

/**
 * A stored item as payin's fact. payin sends its own ids as merchant references (the attempt
 * for a payment and a cancellation, the capture, the refund), and Adyen names them back.
 */
export function adyenFact(payload: unknown): ProviderFact | undefined {
  const item = payload as AdyenNotificationItem;
  if (typeof item?.eventCode !== 'string' || typeof item.merchantReference !== 'string') return undefined;
  const succeeded = item.success === 'true';
  const reference = item.merchantReference;
  switch (item.eventCode) {
    case 'AUTHORISATION': {
      if (succeeded) {
        return {
          kind: 'authorization',
          attemptId: reference,
          providerReference: item.pspReference,
          succeeded,
        };
      }
      const local = localTypeOf(item.paymentMethod);
      if (local) {
        return {
          kind: 'authorization',
          attemptId: reference,
          providerReference: item.pspReference,
          succeeded,
          error: localRefusal(item.reason === 'Cancelled' ? 'Cancelled' : 'Refused', local),
        };
      }
      const decline = declineForReason(item.reason);
      return {
        kind: 'authorization',
        attemptId: reference,
        providerReference: item.pspReference,
        succeeded,
        error: {
          code: decline.code,
          declineCode: decline.declineCode,
          message: 'The card was declined.',
        },
      };
    }
    case 'OFFER_CLOSED':
      // A voucher (or another offer the shopper had to complete) was not paid in time.
      return {
        kind: 'authorization',
        attemptId: reference,
        providerReference: item.pspReference,
        succeeded: false,
        error: { code: 'payment_expired', message: 'The payment was not completed before its deadline.' },
      };
    case 'CAPTURE':
      return {
        kind: 'capture',
        captureId: reference,
        providerReference: item.pspReference,
        succeeded,
        reason: item.reason,
      };
    case 'CAPTURE_FAILED':
      return {
        kind: 'capture',
        captureId: reference,
        providerReference: item.pspReference,
        succeeded: false,
        reason: item.reason ?? 'CAPTURE_FAILED',
      };
    case 'REFUND':
      return {
        kind: 'refund',
        refundId: reference,
        providerReference: item.pspReference,
        succeeded,
        reason: item.reason,
      };
    case 'REFUND_FAILED':
    case 'REFUNDED_REVERSED':
      return {
        kind: 'refund',
        refundId: reference,
        providerReference: item.pspReference,
        succeeded: false,
        reason: item.reason ?? item.eventCode,
      };
    case 'CANCELLATION':
      return { kind: 'cancellation', attemptId: reference, providerReference: item.pspReference, succeeded };
    default:
      return { kind: 'ignored', description: `${item.eventCode} is not acted on` };
  }
}
