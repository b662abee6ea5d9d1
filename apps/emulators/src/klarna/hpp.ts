import { randomUUID } from 'node:crypto';
import type {
  HppMerchantUrls,
  HppSessionCreateRequest,
  HppSessionCreateResponse,
  HppSessionReadResponse,
  HppSessionStatus,
} from '@payin/provider-wire/klarna';
import { badValue, KlarnaError } from './errors.js';
import { sessionOf } from './sessions.js';
import type { HppSession, KlarnaState } from './state.js';

/** "The HPP Session will expire 1 hour before the Payment Session" (HPP API, create session). */
const HOUR_MS = 3600_000;
const urlKeys = ['success', 'cancel', 'back', 'failure', 'error', 'status_update'] as const;
const placeOrderModes = ['NONE', 'PLACE_ORDER', 'CAPTURE_ORDER'] as const;
const categories = ['pay_later', 'pay_over_time', 'pay_now'] as const;
/** Statuses after which the page no longer takes the shopper ("Tracking session status": final). */
export const finalStatuses: readonly HppSessionStatus[] = ['COMPLETED', 'CANCELLED', 'DISABLED'];

const isHttpUrl = (v: unknown) => typeof v === 'string' && /^https?:\/\/[^\s]+$/.test(v);

/** POST /hpp/v1/sessions: hosts a KP session (`payment_session_url`) on Klarna's page. */
export function createHppSession(
  state: KlarnaState,
  merchant: string,
  body: Partial<HppSessionCreateRequest>,
  publicUrl: string,
): HppSessionCreateResponse {
  if (typeof body !== 'object' || body === null) throw badValue('body');
  const match = /\/payments\/v1\/sessions\/([^/?#]+)$/.exec(String(body.payment_session_url ?? ''));
  if (!match?.[1]) throw badValue('payment_session_url');
  let paymentSession: ReturnType<typeof sessionOf>;
  try {
    paymentSession = sessionOf(state, merchant, match[1]);
  } catch {
    throw badValue('payment_session_url', 'no such payment session');
  }
  const merchantUrls: HppMerchantUrls = body.merchant_urls ?? {};
  if (typeof merchantUrls !== 'object') throw badValue('merchant_urls');
  for (const key of urlKeys) {
    if (merchantUrls[key] !== undefined && !isHttpUrl(merchantUrls[key]))
      throw badValue(`merchant_urls.${key}`);
  }
  const options = body.options ?? {};
  if (options.place_order_mode && !placeOrderModes.includes(options.place_order_mode))
    throw badValue('options.place_order_mode');
  if (options.payment_method_categories?.some((c) => !categories.includes(c)))
    throw badValue('options.payment_method_categories');
  const now = state.now();
  const session: HppSession = {
    sessionId: randomUUID(),
    merchant,
    paymentSessionId: paymentSession.sessionId,
    merchantUrls,
    options,
    status: 'WAITING',
    updatedAt: now,
    expiresAt: new Date(paymentSession.expiresAt.getTime() - HOUR_MS),
  };
  state.hppSessions.set(session.sessionId, session);
  const sessionUrl = `${publicUrl}/klarna/hpp/v1/sessions/${session.sessionId}`;
  const redirectUrl = `${publicUrl}/klarna/hpp/pay/${session.sessionId}`;
  return {
    session_id: session.sessionId,
    redirect_url: redirectUrl,
    session_url: sessionUrl,
    distribution_url: `${sessionUrl}/distribution`,
    qr_code_url: `${redirectUrl}/qr`,
    expires_at: session.expiresAt.toISOString(),
  };
}

export function hppSessionOf(state: KlarnaState, merchant: string, sessionId: string): HppSession {
  const session = state.hppSessions.get(sessionId);
  if (!session || session.merchant !== merchant)
    throw new KlarnaError('notFound', `Session ${sessionId} not found`);
  return session;
}

export function readHppSession(session: HppSession): HppSessionReadResponse {
  return {
    session_id: session.sessionId,
    status: session.status,
    updated_at: session.updatedAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
    ...(session.authorizationToken ? { authorization_token: session.authorizationToken } : {}),
    ...(session.orderId ? { order_id: session.orderId } : {}),
  };
}

/** DELETE /hpp/v1/sessions/{id}: DISABLED for good; a completed session stays completed. */
export function disableHppSession(state: KlarnaState, session: HppSession): void {
  if (session.status === 'COMPLETED') throw new KlarnaError('notAllowed', 'Session is COMPLETED');
  setHppStatus(state, session, 'DISABLED');
}

export function setHppStatus(state: KlarnaState, session: HppSession, status: HppSessionStatus): void {
  session.status = status;
  session.updatedAt = state.now();
  state.emit({ kind: 'hpp_status', session });
}

/** A merchant URL with Klarna's placeholders filled in (an unknown value becomes empty). */
export function fillPlaceholders(url: string, session: HppSession): string {
  return url
    .replaceAll('{{session_id}}', encodeURIComponent(session.sessionId))
    .replaceAll('{{authorization_token}}', encodeURIComponent(session.authorizationToken ?? ''))
    .replaceAll('{{order_id}}', encodeURIComponent(session.orderId ?? ''));
}
