import type { Authorization, Capture, LinkDescription, Order, Refund } from '@payin/provider-wire/paypal';
import { moneyOf } from './money.js';
import type { AuthorizationRecord, CaptureRecord, OrderRecord, PayPalState, RefundRecord } from './state.js';

/** Where links point: the API base the call came in on, and the shopper-facing approval page. */
export interface LinkBase {
  api: string;
  approval: (orderId: string) => string;
}

/** The merchant the emulator plays (the `payee` of every purchase unit). */
export interface Merchant {
  name: string;
  email: string;
  merchantId: string;
}

const link = (href: string, rel: string, method: LinkDescription['method'] = 'GET'): LinkDescription => ({
  href,
  rel,
  method,
});

/** Seller protection as PayPal reports it for PayPal-wallet payments. */
const sellerProtection = {
  status: 'ELIGIBLE',
  dispute_categories: ['ITEM_NOT_RECEIVED', 'UNAUTHORIZED_TRANSACTION'],
} as const;

export function captureOf(capture: CaptureRecord, base: LinkBase): Capture {
  const self = `${base.api}/v2/payments/captures/${capture.id}`;
  const links = [link(self, 'self')];
  if (capture.status === 'COMPLETED' || capture.status === 'PARTIALLY_REFUNDED')
    links.push(link(`${self}/refund`, 'refund', 'POST'));
  if (capture.authorizationId)
    links.push(link(`${base.api}/v2/payments/authorizations/${capture.authorizationId}`, 'up'));
  else links.push(link(`${base.api}/v2/checkout/orders/${capture.orderId}`, 'up'));
  return {
    id: capture.id,
    status: capture.status,
    ...(capture.reason ? { status_details: { reason: capture.reason as 'PENDING_REVIEW' } } : {}),
    amount: moneyOf(capture.amount),
    final_capture: capture.finalCapture,
    seller_protection: { ...sellerProtection, dispute_categories: [...sellerProtection.dispute_categories] },
    ...(capture.customId ? { custom_id: capture.customId } : {}),
    ...(capture.invoiceId ? { invoice_id: capture.invoiceId } : {}),
    supplementary_data: {
      related_ids: { order_id: capture.orderId, authorization_id: capture.authorizationId },
    },
    create_time: capture.createTime,
    update_time: capture.updateTime,
    links,
  } as Capture;
}

export function authorizationOf(authorization: AuthorizationRecord, base: LinkBase): Authorization {
  const self = `${base.api}/v2/payments/authorizations/${authorization.id}`;
  const open = authorization.status === 'CREATED' || authorization.status === 'PARTIALLY_CAPTURED';
  return {
    id: authorization.id,
    status: authorization.status,
    amount: moneyOf(authorization.amount),
    ...(authorization.customId ? { custom_id: authorization.customId } : {}),
    ...(authorization.invoiceId ? { invoice_id: authorization.invoiceId } : {}),
    seller_protection: { ...sellerProtection, dispute_categories: [...sellerProtection.dispute_categories] },
    expiration_time: authorization.expirationTime,
    supplementary_data: { related_ids: { order_id: authorization.orderId } },
    create_time: authorization.createTime,
    update_time: authorization.updateTime,
    links: [
      link(self, 'self'),
      ...(open
        ? [
            link(`${self}/capture`, 'capture', 'POST'),
            link(`${self}/void`, 'void', 'POST'),
            link(`${self}/reauthorize`, 'reauthorize', 'POST'),
          ]
        : []),
      link(`${base.api}/v2/checkout/orders/${authorization.orderId}`, 'up'),
    ],
  } as Authorization;
}

export function refundOf(refund: RefundRecord, base: LinkBase): Refund {
  return {
    id: refund.id,
    status: refund.status,
    amount: moneyOf(refund.amount),
    ...(refund.customId ? { custom_id: refund.customId } : {}),
    ...(refund.invoiceId ? { invoice_id: refund.invoiceId } : {}),
    ...(refund.noteToPayer ? { note_to_payer: refund.noteToPayer } : {}),
    seller_payable_breakdown: {
      gross_amount: moneyOf(refund.amount),
      net_amount: moneyOf(refund.amount),
      total_refunded_amount: moneyOf(refund.amount),
    },
    create_time: refund.createTime,
    update_time: refund.updateTime,
    links: [
      link(`${base.api}/v2/payments/refunds/${refund.id}`, 'self'),
      link(`${base.api}/v2/payments/captures/${refund.captureId}`, 'up'),
    ],
  } as Refund;
}

/** The order's HATEOAS links for its status (https://developer.paypal.com/docs/api/orders/v2/). */
function orderLinks(order: OrderRecord, base: LinkBase): LinkDescription[] {
  const self = `${base.api}/v2/checkout/orders/${order.id}`;
  const links = [link(self, 'self')];
  if (order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED') {
    links.push(link(base.approval(order.id), order.paypalSource ? 'payer-action' : 'approve'));
  }
  if (order.status !== 'COMPLETED') links.push(link(self, 'update', 'PATCH'));
  if (order.status === 'APPROVED') {
    const action = order.intent === 'CAPTURE' ? 'capture' : 'authorize';
    links.push(link(`${self}/${action}`, action, 'POST'));
  }
  return links;
}

/** The full order (`Prefer: return=representation`, and GET). */
export function orderOf(state: PayPalState, order: OrderRecord, base: LinkBase, merchant: Merchant): Order {
  const payer = order.payer;
  return {
    id: order.id,
    intent: order.intent,
    status: order.status,
    ...(payer
      ? {
          payment_source: {
            paypal: {
              email_address: payer.email,
              account_id: payer.payerId,
              account_status: 'VERIFIED',
              name: { given_name: payer.givenName, surname: payer.surname },
              address: { country_code: payer.countryCode },
            },
          },
          payer: {
            name: { given_name: payer.givenName, surname: payer.surname },
            email_address: payer.email,
            payer_id: payer.payerId,
            address: { country_code: payer.countryCode },
          },
        }
      : {}),
    purchase_units: order.purchaseUnits.map((unit) => {
      const authorizations = unit.authorizationIds.flatMap((id) => state.authorizations.get(id) ?? []);
      // The unit's payments are all of them, as PayPal's payment_collection lists them: the
      // captures of its authorizations too, and the refunds of every capture.
      const captures = [
        ...unit.captureIds,
        ...authorizations.flatMap((authorization) => authorization.captureIds),
      ].flatMap((id) => state.captures.get(id) ?? []);
      const refunds = captures.flatMap((capture) =>
        capture.refundIds.flatMap((id) => state.refunds.get(id) ?? []),
      );
      return {
        reference_id: unit.referenceId,
        amount: moneyOf(unit.amount),
        payee: { email_address: merchant.email, merchant_id: merchant.merchantId },
        ...(unit.description ? { description: unit.description } : {}),
        ...(unit.customId ? { custom_id: unit.customId } : {}),
        ...(unit.invoiceId ? { invoice_id: unit.invoiceId } : {}),
        ...(captures.length || authorizations.length
          ? {
              payments: {
                ...(captures.length ? { captures: captures.map((c) => captureOf(c, base)) } : {}),
                ...(authorizations.length
                  ? { authorizations: authorizations.map((a) => authorizationOf(a, base)) }
                  : {}),
                ...(refunds.length ? { refunds: refunds.map((r) => refundOf(r, base)) } : {}),
              },
            }
          : {}),
      };
    }),
    create_time: order.createTime,
    update_time: order.updateTime,
    links: orderLinks(order, base),
  } as Order;
}

/**
 * The minimal answer (the default `Prefer: return=minimal`): id, status and links; once paid, the
 * payments and the payer as well, as PayPal's minimal capture and authorize answers carry them.
 */
export function minimalOrderOf(state: PayPalState, order: OrderRecord, base: LinkBase, merchant: Merchant) {
  const full = orderOf(state, order, base, merchant);
  if (order.status !== 'COMPLETED') return { id: full.id, status: full.status, links: full.links };
  return {
    id: full.id,
    status: full.status,
    payment_source: full.payment_source,
    purchase_units: full.purchase_units?.map((unit) => ({
      reference_id: unit.reference_id,
      payments: unit.payments,
    })),
    payer: full.payer,
    links: full.links,
  } as Order;
}
