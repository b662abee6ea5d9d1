import { randomBytes, randomUUID } from 'node:crypto';
import type {
  OrderLine,
  PaymentMethodCategory,
  SessionCreateRequest,
  SessionCreateResponse,
  SessionReadResponse,
} from '@payin/provider-wire/klarna';
import { badValue, KlarnaError } from './errors.js';
import { type Market, marketOf } from './markets.js';
import type { CategoryId, KlarnaState, PaymentSession } from './state.js';

/** "Once you start a payment session, it stays open for 48 hours or until you place an order." */
export const SESSION_LIFETIME_MS = 48 * 3600_000;

const isInt = (v: unknown, min = Number.MIN_SAFE_INTEGER): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isText = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';

function checkLine(line: Partial<OrderLine> | undefined, i: number): OrderLine {
  const at = `order_lines[${i}]`;
  if (typeof line !== 'object' || line === null) throw badValue(at);
  if (!isText(line.name)) throw badValue(`${at}.name`);
  if (!isInt(line.quantity, 0)) throw badValue(`${at}.quantity`);
  if (!isInt(line.unit_price)) throw badValue(`${at}.unit_price`);
  if (!isInt(line.total_amount)) throw badValue(`${at}.total_amount`);
  const discount = line.total_discount_amount ?? 0;
  if (!isInt(discount, 0)) throw badValue(`${at}.total_discount_amount`);
  const taxRate = line.tax_rate ?? 0;
  if (!isInt(taxRate, 0) || taxRate > 10_000) throw badValue(`${at}.tax_rate`);
  const tax = line.total_tax_amount ?? 0;
  if (!isInt(tax)) throw badValue(`${at}.total_tax_amount`);
  // Klarna's order line rules: total_amount = quantity × unit_price − total_discount_amount, and
  // total_tax_amount = total_amount − total_amount × 10000 / (10000 + tax_rate), rounded (±1).
  if (line.total_amount !== line.quantity * line.unit_price - discount)
    throw badValue(`${at}.total_amount`, 'quantity × unit_price − total_discount_amount');
  const expectedTax = line.total_amount - (line.total_amount * 10_000) / (10_000 + taxRate);
  if (Math.abs(tax - expectedTax) > 1) throw badValue(`${at}.total_tax_amount`, 'does not match tax_rate');
  return line as OrderLine;
}

/** The checks Klarna makes of a purchase: market, locale, lines and the totals they add up to. */
export function checkPurchase(body: Partial<SessionCreateRequest>): {
  purchase: SessionCreateRequest;
  market: Market;
} {
  if (typeof body !== 'object' || body === null) throw badValue('body');
  if (!isText(body.purchase_country)) throw badValue('purchase_country');
  if (!isText(body.purchase_currency)) throw badValue('purchase_currency');
  const market = marketOf(body.purchase_country, body.purchase_currency);
  if ('field' in market) throw badValue(market.field, market.why);
  if (!isText(body.locale) || !market.locales.some((l) => l.toLowerCase() === body.locale?.toLowerCase()))
    throw badValue('locale', `one of ${market.locales.join(', ')}`);
  if (!isInt(body.order_amount, 0)) throw badValue('order_amount');
  if (!Array.isArray(body.order_lines) || body.order_lines.length === 0) throw badValue('order_lines');
  const lines = body.order_lines.map(checkLine);
  const taxTotal = body.order_tax_amount ?? 0;
  if (!isInt(taxTotal, 0)) throw badValue('order_tax_amount');
  if (lines.reduce((sum, l) => sum + l.total_amount, 0) !== body.order_amount)
    throw badValue('order_amount', 'not the sum of order_lines total_amount');
  if (lines.reduce((sum, l) => sum + (l.total_tax_amount ?? 0), 0) !== taxTotal)
    throw badValue('order_tax_amount', 'not the sum of order_lines total_tax_amount');
  if (body.order_amount < market.min || body.order_amount > market.max)
    throw badValue('order_amount', `outside ${market.min}–${market.max} for ${body.purchase_country}`);
  return { purchase: { ...body, order_tax_amount: taxTotal } as SessionCreateRequest, market };
}

const categoryNames: Record<CategoryId, string> = {
  pay_now: 'Pay now.',
  pay_later: 'Pay later.',
  pay_over_time: 'Pay in parts.',
};

/** Categories offered for an amount: financing only from the market's financing threshold. */
export function categoriesFor(amount: number, market: Market, publicUrl: string): PaymentMethodCategory[] {
  const ids: CategoryId[] = [
    'pay_later',
    ...(amount >= market.financingMin ? ['pay_over_time' as const] : []),
    'pay_now',
  ];
  return ids.map((identifier) => ({
    identifier,
    name: categoryNames[identifier],
    asset_urls: {
      descriptive: `${publicUrl}/klarna/hpp/assets/badge.svg`,
      standard: `${publicUrl}/klarna/hpp/assets/badge.svg`,
    },
  }));
}

export function createSession(
  state: KlarnaState,
  merchant: string,
  body: Partial<SessionCreateRequest>,
  publicUrl: string,
): SessionCreateResponse {
  const { purchase, market } = checkPurchase(body);
  const now = state.now();
  const session: PaymentSession = {
    sessionId: randomUUID(),
    // The client token is a JWT for Klarna's JS SDK; here an opaque token of the same look.
    clientToken: `eyJhbGciOiJub25lIn0.${randomBytes(48).toString('base64url')}.`,
    merchant,
    request: purchase,
    createdAt: now,
    expiresAt: new Date(now.getTime() + SESSION_LIFETIME_MS),
  };
  state.sessions.set(session.sessionId, session);
  return {
    session_id: session.sessionId,
    client_token: session.clientToken,
    payment_method_categories: categoriesFor(purchase.order_amount, market, publicUrl),
  };
}

/** A merchant's own session, still open; 404 otherwise. */
export function sessionOf(state: KlarnaState, merchant: string, sessionId: string): PaymentSession {
  const session = state.sessions.get(sessionId);
  if (!session || session.merchant !== merchant || session.expiresAt <= state.now())
    throw new KlarnaError('notFound', `Session ${sessionId} not found`);
  return session;
}

export function readSession(session: PaymentSession, publicUrl: string): SessionReadResponse {
  const { market } = checkPurchase(session.request);
  return {
    ...session.request,
    client_token: session.clientToken,
    expires_at: session.expiresAt.toISOString(),
    status: session.authorizationToken ? 'complete' : 'incomplete',
    ...(session.authorizationToken ? { authorization_token: session.authorizationToken } : {}),
    payment_method_categories: categoriesFor(session.request.order_amount, market, publicUrl),
  };
}

/** POST /payments/v1/sessions/{id}: the fields sent replace the session's, checked as a whole. */
export function updateSession(session: PaymentSession, body: Partial<SessionCreateRequest>): void {
  if (session.authorizationToken) throw new KlarnaError('notAllowed', 'Session is already authorized');
  if (typeof body !== 'object' || body === null) throw badValue('body');
  session.request = checkPurchase({ ...session.request, ...body }).purchase;
}
