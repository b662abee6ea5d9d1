import type { OrderRequest } from '@payin/provider-wire/paypal';
import { invalid, notFound, PayPalError, unprocessable } from './errors.js';
import type { Outcome } from './idempotency.js';
import { amountOf } from './money.js';
import { captureWithOutcome } from './payments.js';
import { type LinkBase, type Merchant, minimalOrderOf, orderOf } from './representations.js';
import {
  type AuthorizationRecord,
  type OrderRecord,
  type PayPalState,
  type PurchaseUnitRecord,
  paypalId,
  timestamp,
} from './state.js';

export interface OrdersContext {
  state: PayPalState;
  merchant: Merchant;
  now: () => Date;
}

/** A JSON object's optional string field, or a 400 when it is there but not a string of that length. */
function text(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid('orders', 'INVALID_PARAMETER_VALUE', field, String(value));
  if (value.length < 1 || value.length > max) throw invalid('orders', 'INVALID_STRING_LENGTH', field, value);
  return value;
}

function url(value: unknown, field: string): string | undefined {
  const href = text(value, field, 4000);
  if (href === undefined) return undefined;
  if (!URL.canParse(href) || !/^https?:/.test(href))
    throw invalid('orders', 'INVALID_PARAMETER_VALUE', field, href);
  return href;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Renders an order by id, current when it is rendered (a PayPal-Request-Id replay shows the latest status). */
function orderOutcome(ctx: OrdersContext, status: number, id: string): Outcome {
  return {
    status,
    render: (prefer, base) => {
      const order = ctx.state.orders.get(id) as OrderRecord;
      return prefer === 'representation'
        ? orderOf(ctx.state, order, base, ctx.merchant)
        : minimalOrderOf(ctx.state, order, base, ctx.merchant);
    },
  };
}

/**
 * POST /v2/checkout/orders (https://developer.paypal.com/docs/api/orders/v2/#orders_create):
 * intent and purchase_units (1 to 10, each with an amount) are required; a reference_id is
 * required once there are several units. With `payment_source.paypal.experience_context` the
 * order is PAYER_ACTION_REQUIRED with a `payer-action` link; without a payment source (the older
 * `application_context` flow) it is CREATED with an `approve` link.
 */
export function createOrder(ctx: OrdersContext, clientId: string, body: unknown): Outcome {
  if (!isObject(body)) throw invalid('orders', 'MALFORMED_REQUEST_JSON', '/');
  const request = body as Partial<OrderRequest>;
  if (request.intent === undefined) throw invalid('orders', 'MISSING_REQUIRED_PARAMETER', '/intent');
  if (request.intent !== 'CAPTURE' && request.intent !== 'AUTHORIZE')
    throw invalid('orders', 'INVALID_PARAMETER_VALUE', '/intent', String(request.intent));
  const units = request.purchase_units;
  if (units === undefined) throw invalid('orders', 'MISSING_REQUIRED_PARAMETER', '/purchase_units');
  if (!Array.isArray(units) || units.length === 0 || units.length > 10)
    throw invalid('orders', 'INVALID_PARAMETER_VALUE', '/purchase_units');
  const seen = new Set<string>();
  const purchaseUnits: PurchaseUnitRecord[] = units.map((unit, index) => {
    if (!isObject(unit)) throw invalid('orders', 'INVALID_PARAMETER_VALUE', `/purchase_units/${index}`);
    const given = text(unit.reference_id, `/purchase_units/${index}/reference_id`, 256);
    if (given === undefined && units.length > 1)
      throw unprocessable('orders', 'REFERENCE_ID_REQUIRED', `/purchase_units/${index}/reference_id`);
    const referenceId = given ?? 'default';
    if (seen.has(referenceId))
      throw unprocessable(
        'orders',
        'DUPLICATE_REFERENCE_ID',
        `/purchase_units/${index}/reference_id`,
        referenceId,
      );
    seen.add(referenceId);
    // PayPal names a unit in error pointers by its reference_id, not its index.
    const at = `/purchase_units/@reference_id=='${referenceId}'`;
    return {
      referenceId,
      amount: amountOf('orders', unit.amount, `${at}/amount`),
      customId: text(unit.custom_id, `${at}/custom_id`, 255),
      invoiceId: text(unit.invoice_id, `${at}/invoice_id`, 127),
      description: text(unit.description, `${at}/description`, 127),
      captureIds: [],
      authorizationIds: [],
    };
  });
  const currencies = new Set(purchaseUnits.map((unit) => unit.amount.currency));
  if (currencies.size > 1) throw unprocessable('orders', 'MULTI_CURRENCY_ORDER', '/purchase_units');

  const source = isObject(request.payment_source) ? request.payment_source : undefined;
  if (request.payment_source !== undefined && !isObject(source?.paypal))
    throw invalid('orders', 'INVALID_PARAMETER_VALUE', '/payment_source');
  const paypal = source?.paypal as Record<string, unknown> | undefined;
  const experience = isObject(paypal?.experience_context) ? paypal.experience_context : undefined;
  const legacy = isObject(request.application_context)
    ? (request.application_context as Record<string, unknown>)
    : undefined;
  const context = experience ?? legacy;
  const contextField = experience ? '/payment_source/paypal/experience_context' : '/application_context';
  const now = timestamp(ctx.now());
  const order: OrderRecord = {
    id: paypalId(),
    clientId,
    intent: request.intent,
    status: paypal ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
    purchaseUnits,
    paypalSource: paypal !== undefined,
    returnUrl: url(context?.return_url, `${contextField}/return_url`),
    cancelUrl: url(context?.cancel_url, `${contextField}/cancel_url`),
    brandName: text(context?.brand_name, `${contextField}/brand_name`, 127),
    payerEmailHint: text(paypal?.email_address, '/payment_source/paypal/email_address', 254),
    fundingDeclined: false,
    createTime: now,
    updateTime: now,
  };
  ctx.state.orders.set(order.id, order);
  return orderOutcome(ctx, 201, order.id);
}

export function findOrder(ctx: OrdersContext, id: string): OrderRecord {
  const order = ctx.state.orders.get(id);
  if (!order) throw notFound('orders', 'order_id', id);
  return order;
}

export function getOrder(ctx: OrdersContext, id: string): Outcome {
  findOrder(ctx, id);
  const outcome = orderOutcome(ctx, 200, id);
  // GET always answers the full order.
  return { status: 200, render: (_prefer, base) => outcome.render('representation', base) };
}

/** The redirect link PayPal adds to INSTRUMENT_DECLINED: back to the approval page, to choose another funding source. */
function declined(order: OrderRecord, base: LinkBase): PayPalError {
  order.fundingDeclined = true;
  return new PayPalError(422, 'orders', { issue: 'INSTRUMENT_DECLINED' }, [
    { href: base.approval(order.id), rel: 'redirect', method: 'GET' },
  ]);
}

/** The checks capture and authorize share: the payer has approved, and approved a funding source that works. */
function approvedOrder(ctx: OrdersContext, id: string, action: 'capture' | 'authorize', base: LinkBase) {
  const order = findOrder(ctx, id);
  if (action === 'authorize' && order.intent === 'CAPTURE')
    throw unprocessable('orders', 'ACTION_DOES_NOT_MATCH_INTENT');
  if (action === 'capture' && order.intent === 'AUTHORIZE')
    throw unprocessable('orders', 'ACTION_DOES_NOT_MATCH_INTENT_FOR_CAPTURE');
  if (order.status === 'COMPLETED')
    throw unprocessable(
      'orders',
      action === 'capture' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_ALREADY_AUTHORIZED',
    );
  if (order.status !== 'APPROVED' || order.fundingDeclined)
    throw unprocessable(
      'orders',
      action === 'capture' ? 'ORDER_NOT_APPROVED' : 'ORDER_NOT_APPROVED_FOR_AUTHORIZE',
    );
  if (order.outcome === 'declined') throw declined(order, base);
  return order;
}

/** POST /v2/checkout/orders/{id}/capture: one capture per purchase unit, COMPLETED or (pending payer) PENDING. */
export function captureOrder(ctx: OrdersContext, id: string, base: LinkBase): Outcome {
  const order = approvedOrder(ctx, id, 'capture', base);
  for (const unit of order.purchaseUnits) {
    const capture = captureWithOutcome(ctx, order, {
      amount: unit.amount,
      customId: unit.customId,
      invoiceId: unit.invoiceId,
      finalCapture: true,
    });
    unit.captureIds.push(capture.id);
  }
  order.status = 'COMPLETED';
  order.updateTime = timestamp(ctx.now());
  return orderOutcome(ctx, 201, order.id);
}

/** Authorizations are honoured 3 days and valid 29 (https://developer.paypal.com/docs/checkout/standard/customize/authorization/). */
const AUTHORIZATION_VALID_DAYS = 29;

/** POST /v2/checkout/orders/{id}/authorize: one authorization per purchase unit, CREATED. */
export function authorizeOrder(ctx: OrdersContext, id: string, base: LinkBase): Outcome {
  const order = approvedOrder(ctx, id, 'authorize', base);
  const now = ctx.now();
  const stamp = timestamp(now);
  for (const unit of order.purchaseUnits) {
    const authorization: AuthorizationRecord = {
      id: paypalId(),
      orderId: order.id,
      referenceId: unit.referenceId,
      amount: unit.amount,
      status: 'CREATED',
      captured: 0,
      captureIds: [],
      customId: unit.customId,
      invoiceId: unit.invoiceId,
      createTime: stamp,
      updateTime: stamp,
      expirationTime: timestamp(new Date(now.getTime() + AUTHORIZATION_VALID_DAYS * 86_400_000)),
    };
    ctx.state.authorizations.set(authorization.id, authorization);
    unit.authorizationIds.push(authorization.id);
    ctx.state.emit({ type: 'PAYMENT.AUTHORIZATION.CREATED', authorization });
  }
  order.status = 'COMPLETED';
  order.updateTime = stamp;
  return orderOutcome(ctx, 201, order.id);
}
