import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../html.js';
import { moneyOf } from './money.js';
import type { OrdersContext } from './orders.js';
import { type PayerOutcome, paypalId, timestamp } from './state.js';

/** No script, no style, no frames; the form posts here and the answer redirects to the shop. */
const CSP = "default-src 'none'; form-action *; frame-ancestors 'none'; base-uri 'none'";

/** A test payer's email picks the outcome when the page's control is left alone. */
export function outcomeOfEmail(email: string | undefined): PayerOutcome {
  if (email && /declined/i.test(email)) return 'declined';
  if (email && /pending/i.test(email)) return 'pending';
  return 'approve';
}

const outcomes: { value: PayerOutcome; label: string }[] = [
  { value: 'approve', label: 'Pays (capture completes)' },
  { value: 'declined', label: 'Funding declined (capture answers INSTRUMENT_DECLINED)' },
  { value: 'pending', label: 'Pending review (capture PENDING, completed later)' },
];

/**
 * The payer-action page PayPal sends the buyer to (`/checkoutnow?token={order id}`): the amount,
 * the merchant, the test payer's outcome, **Pay** (the order becomes APPROVED with its payer,
 * back to return_url with `token` and `PayerID`) and **Cancel and return** (back to cancel_url
 * with `token`, the order unchanged).
 */
export async function approvalRoutes(app: FastifyInstance, opts: OrdersContext): Promise<void> {
  const { state } = opts;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  const payable = (token: string | undefined) => {
    const order = state.orders.get(token ?? '');
    if (!order) return undefined;
    const open = order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED';
    return open || (order.status === 'APPROVED' && order.fundingDeclined) ? order : undefined;
  };
  const gone = 'This checkout session has ended or does not exist.';

  app.get<{ Querystring: { token?: string } }>('/checkoutnow', async (request, reply) => {
    const order = payable(request.query.token);
    if (!order) return reply.code(404).type('text/plain; charset=utf-8').send(gone);
    const merchant = order.brandName ?? opts.merchant.name;
    const total = moneyOf({
      currency: order.purchaseUnits[0]?.amount.currency ?? 'USD',
      minor: order.purchaseUnits.reduce((sum, unit) => sum + unit.amount.minor, 0),
    });
    const preselected = outcomeOfEmail(order.payerEmailHint);
    const action = `/paypal/checkoutnow?token=${encodeURIComponent(order.id)}`;
    const options = outcomes
      .map(
        (o) =>
          `<option value="${o.value}"${o.value === preselected ? ' selected' : ''}>${escapeHtml(o.label)}</option>`,
      )
      .join('');
    return reply
      .type('text/html; charset=utf-8')
      .header('Content-Security-Policy', CSP)
      .header('X-Frame-Options', 'DENY')
      .send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Pay with PayPal (PayPal emulator)</title></head>
<body>
<main>
<h1>Pay ${escapeHtml(merchant)}</h1>
<p>Total: <strong>${escapeHtml(total.value)} ${escapeHtml(total.currency_code)}</strong></p>
<p>Order ${escapeHtml(order.id)}</p>
<form method="post" action="${escapeHtml(action)}">
<label for="payer">Test payer</label>
<select id="payer" name="payer">${options}</select>
<button type="submit" name="action" value="pay">Pay</button>
<button type="submit" name="action" value="cancel">Cancel and return</button>
</form>
</main>
</body>
</html>`);
  });

  app.post<{ Querystring: { token?: string }; Body: { action?: string; payer?: string } | undefined }>(
    '/checkoutnow',
    async (request, reply) => {
      const order = payable(request.query.token);
      if (!order) return reply.code(404).type('text/plain; charset=utf-8').send(gone);
      if (request.body?.action === 'cancel') {
        if (!order.cancelUrl) return reply.type('text/plain; charset=utf-8').send('Payment cancelled.');
        const back = new URL(order.cancelUrl);
        back.searchParams.set('token', order.id);
        return reply.redirect(back.toString(), 303);
      }
      if (request.body?.action !== 'pay')
        return reply.code(400).type('text/plain; charset=utf-8').send('Choose Pay or Cancel and return.');
      const chosen = outcomes.find((o) => o.value === request.body?.payer)?.value;
      const payerId = order.payer?.payerId ?? paypalId(13);
      order.payer = {
        payerId,
        email: order.payerEmailHint ?? `sb-buyer-${payerId.toLowerCase()}@personal.example.com`,
        givenName: 'John',
        surname: 'Doe',
        countryCode: 'US',
      };
      order.outcome = chosen ?? outcomeOfEmail(order.payerEmailHint);
      order.fundingDeclined = false;
      order.status = 'APPROVED';
      order.updateTime = timestamp(opts.now());
      state.emit({ type: 'CHECKOUT.ORDER.APPROVED', order });
      if (!order.returnUrl)
        return reply.type('text/plain; charset=utf-8').send(`Payment approved: order ${order.id}.`);
      const back = new URL(order.returnUrl);
      back.searchParams.set('token', order.id);
      back.searchParams.set('PayerID', payerId);
      return reply.redirect(back.toString(), 303);
    },
  );
}
