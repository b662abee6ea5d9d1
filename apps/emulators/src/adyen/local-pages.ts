import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { escapeHtml } from '../html.js';
import { localMethods } from './local-methods.js';
import { acceptForms, sendPage } from './shopper-page.js';
import type { AdyenState, ShopperRedirect } from './state.js';
import { japanLocalTime } from './vouchers.js';

/** What the shopper does in the app: the buttons' values and labels. */
const answers = {
  confirm: { outcome: 'confirmed', label: 'Confirm' },
  cancel: { outcome: 'cancelled', label: 'Cancel' },
  refuse: { outcome: 'refused', label: 'Refuse (the bank declines)' },
} as const satisfies Record<string, { outcome: NonNullable<ShopperRedirect['outcome']>; label: string }>;

const where: Record<string, string> = {
  bizum: 'Confirm this payment in your bank app (Bizum)',
  paypay: 'Confirm this payment in the PayPay app',
};

const unknown = (reply: FastifyReply) => reply.code(404).type('text/plain').send('Unknown payment session');

/**
 * The pages a shopper reaches for a local method, instead of the real ones:
 * - `/adyen/redirect/{bizum|paypay}`: where Bizum's bank app or PayPay's app would ask the shopper
 *   to confirm. Bizum's is posted (the action's `data` as a form), PayPay's is a link. Confirm,
 *   Cancel or Refuse sends the shopper back to returnUrl with `redirectResult`;
 * - `/adyen/vouchers/{token}`: the voucher of a konbini payment (7-Eleven's page and the
 *   instructions of the other stores): what to tell the store, how much, until when. Paying it is
 *   the store's doing: POST /_control/adyen/vouchers/{pspReference}/pay.
 */
export async function localPageRoutes(app: FastifyInstance, opts: { state: AdyenState }): Promise<void> {
  const { state } = opts;
  acceptForms(app);

  const confirmationPage = (reply: FastifyReply, type: string, token: string | undefined) => {
    const redirect = state.redirects.get(token ?? '');
    if (!redirect || redirect.paymentMethodType !== type || redirect.redirectResult) return unknown(reply);
    const payment = state.payments.get(redirect.pspReference);
    const name = localMethods[type as keyof typeof localMethods]?.name ?? type;
    const amount = payment ? `${payment.amount.value} ${payment.amount.currency} (minor units)` : '';
    const buttons = Object.entries(answers)
      .map(([value, { label }]) => `<button type="submit" name="outcome" value="${value}">${label}</button>`)
      .join('\n');
    return sendPage(reply, {
      lang: 'en',
      title: `${name} (Adyen emulator)`,
      body: `<h1>${escapeHtml(where[type] ?? name)}</h1>
<p>Payment ${escapeHtml(redirect.pspReference)}: ${escapeHtml(amount)}</p>
<form method="post" action="/adyen/redirect/${escapeHtml(type)}/answer">
<input type="hidden" name="token" value="${escapeHtml(redirect.token)}">
${buttons}
</form>`,
    });
  };

  app.get<{ Params: { type: string }; Querystring: { token?: string } }>(
    '/redirect/:type',
    async (request, reply) => confirmationPage(reply, request.params.type, request.query.token),
  );
  app.post<{ Params: { type: string }; Body: { token?: string } }>(
    '/redirect/:type',
    async (request, reply) => confirmationPage(reply, request.params.type, request.body?.token),
  );

  app.post<{ Params: { type: string }; Body: { token?: string; outcome?: string } }>(
    '/redirect/:type/answer',
    async (request, reply) => {
      const redirect = state.redirects.get(request.body?.token ?? '');
      if (!redirect || redirect.paymentMethodType !== request.params.type || redirect.redirectResult)
        return unknown(reply);
      const answer = answers[request.body?.outcome as keyof typeof answers];
      if (!answer)
        return reply.code(400).type('text/plain').send('outcome must be confirm, cancel or refuse');
      redirect.outcome = answer.outcome;
      redirect.redirectResult = randomBytes(24).toString('base64url');
      state.redirectsByResult.set(redirect.redirectResult, redirect);
      const back = new URL(redirect.returnUrl);
      back.searchParams.set('redirectResult', redirect.redirectResult);
      return reply.redirect(back.toString(), 303);
    },
  );

  app.get<{ Params: { token: string } }>('/vouchers/:token', async (request, reply) => {
    const payment = [...state.payments.values()].find((p) => p.voucher?.token === request.params.token);
    const voucher = payment?.voucher;
    if (!payment || !voucher) return unknown(reply);
    const store = localMethods[payment.brand as keyof typeof localMethods]?.name ?? payment.brand;
    return sendPage(reply, {
      lang: 'en',
      title: `${store} voucher (Adyen emulator)`,
      body: `<h1>Pay at ${escapeHtml(store)}</h1>
<dl>
<dt>Payment number</dt><dd>${escapeHtml(voucher.reference)}</dd>
<dt>Amount</dt><dd>${payment.amount.value} ${escapeHtml(payment.amount.currency)}</dd>
<dt>Pay before (Japan time)</dt><dd>${japanLocalTime(voucher.expiresAt)}</dd>
<dt>Status</dt><dd>${voucher.status}</dd>
</dl>
<p>Tell the store's cashier or kiosk the payment number and pay in cash.</p>`,
    });
  });
}
