import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { escapeHtml } from '../html.js';
import { banksFor, emulatedBanks } from './banks.js';
import { type Locale, localeOf, type Messages, messagesFor } from './hpp-messages.js';
import type { TrueLayerEmulatorOptions } from './index.js';
import type { PaymentRecord } from './state.js';

/** Where the hosted payment page is mounted: it stands for https://payment.truelayer-sandbox.com. */
export const HPP_PREFIX = '/truelayer/hpp';

const hidden = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
    .join('\n');

/**
 * Sends a page: no script at all. Forms may go anywhere (`form-action *`, as the PayPal and
 * Adyen pages): a form's redirects count as its action in Chromium, and the shopper's way back
 * goes through the merchant's return URI and on to wherever that sends them.
 */
function page(reply: FastifyReply, status: number, lang: Locale, title: string, main: string) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header(
      'Content-Security-Policy',
      "default-src 'none'; form-action *; frame-ancestors 'none'; base-uri 'none'",
    )
    .header('Referrer-Policy', 'no-referrer')
    .header('Cache-Control', 'no-store')
    .send(`<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main>
${main}
</main>
</body>
</html>`);
}

const formatAmount = (payment: PaymentRecord, locale: Locale) =>
  new Intl.NumberFormat(locale, { style: 'currency', currency: payment.currency }).format(
    payment.amountInMinor / 100,
  );

type Fields = Record<string, string | undefined>;
type Journey = { locale: Locale; t: Messages } & (
  | { problem: string; payment?: undefined }
  | { problem?: undefined; payment: PaymentRecord; returnUri: string }
);

/**
 * The hosted payment page (https://docs.truelayer.com/docs/hosted-payment-page): opened with the
 * payment's id, its resource token and a return URI the client registered; the shopper picks a
 * bank, authorises on the bank's page and comes back to `return_uri?payment_id=…`.
 */
export async function hostedPaymentPageRoutes(
  app: FastifyInstance,
  { emulator }: TrueLayerEmulatorOptions,
): Promise<void> {
  const { state, lifecycle } = emulator;
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );

  /** The payment the fields name, if the resource token is its own and the return URI registered. */
  function journey(request: FastifyRequest, fields: Fields): Journey {
    const locale = localeOf(fields.locale, request.headers['accept-language']);
    const t = messagesFor(locale);
    const payment = state.payments.get(fields.payment_id ?? '');
    const returnUri = fields.return_uri ?? '';
    if (!payment || fields.resource_token !== payment.resourceToken) {
      return { locale, t, problem: 'The payment or its resource token is not known.' };
    }
    if (!state.clients.get(payment.clientId)?.returnUris.includes(returnUri)) {
      return { locale, t, problem: 'The return_uri is not one registered for this client.' };
    }
    return { locale, t, payment, returnUri };
  }

  const refusal = (reply: FastifyReply, locale: Locale, t: Messages, detail: string) =>
    page(reply, 400, locale, t.errorTitle, `<h1>${t.errorTitle}</h1>\n<p>${escapeHtml(detail)}</p>`);

  const back = (payment: PaymentRecord, returnUri: string) => {
    const url = new URL(returnUri);
    url.searchParams.set('payment_id', payment.id);
    return url.toString();
  };

  const closed = (
    reply: FastifyReply,
    locale: Locale,
    t: Messages,
    payment: PaymentRecord,
    returnUri: string,
  ) =>
    page(
      reply,
      409,
      locale,
      t.closedTitle,
      `<h1>${t.closedTitle}</h1>
<p>${t.status}: ${escapeHtml(payment.status)}</p>
<p><a href="${escapeHtml(back(payment, returnUri))}">${t.back}</a></p>`,
    );

  const selectionPage = async (request: FastifyRequest<{ Querystring: Fields }>, reply: FastifyReply) => {
    const j = journey(request, request.query);
    if (j.problem !== undefined) return refusal(reply, j.locale, j.t, j.problem);
    const { payment, returnUri, locale, t } = j;
    if (payment.status !== 'authorization_required') return closed(reply, locale, t, payment, returnUri);
    const banks = banksFor(payment.currency, payment.paymentMethod.provider_selection.filter);
    const carried = hidden({
      payment_id: payment.id,
      resource_token: payment.resourceToken,
      return_uri: returnUri,
      locale,
    });
    const choices = banks
      .map(
        (bank, i) =>
          `<div><input type="radio" id="bank-${bank.id}" name="provider_id" value="${bank.id}"${i === 0 ? ' checked' : ''} required>
<label for="bank-${bank.id}">${escapeHtml(bank.displayName)} (${bank.countryCode})</label></div>`,
      )
      .join('\n');
    const selection = banks.length
      ? `<fieldset>
<legend>${t.chooseBank}</legend>
${choices}
</fieldset>
<button type="submit" name="action" value="select">${t.continue}</button>`
      : `<p role="status">${t.noBank}</p>`;
    return page(
      reply,
      200,
      locale,
      t.payTitle,
      `<h1>${t.payTitle}</h1>
<p>${t.amountLabel}: <strong>${formatAmount(payment, locale)}</strong></p>
<form method="post" action="${HPP_PREFIX}/payments/provider">
${carried}
${selection}
<button type="submit" name="action" value="cancel" formnovalidate>${t.cancel}</button>
</form>`,
    );
  };
  app.get('/', selectionPage);
  app.get('/payments', selectionPage);

  app.post<{ Body: Fields }>('/payments/provider', async (request, reply) => {
    const j = journey(request, request.body ?? {});
    if (j.problem !== undefined) return refusal(reply, j.locale, j.t, j.problem);
    const { payment, returnUri, locale, t } = j;
    if (payment.status !== 'authorization_required') return closed(reply, locale, t, payment, returnUri);
    if (request.body?.action === 'cancel') {
      lifecycle.fail(payment, 'canceled');
      return reply.redirect(back(payment, returnUri), 303);
    }
    const banks = banksFor(payment.currency, payment.paymentMethod.provider_selection.filter);
    const bank = banks.find((b) => b.id === request.body?.provider_id);
    if (!bank) return refusal(reply, locale, t, 'Choose one of the banks offered.');
    lifecycle.providerSelected(payment, bank.id);
    payment.returnUri = returnUri;
    const consent = new URL(emulator.consentUri(payment));
    consent.searchParams.set('locale', locale);
    return reply.redirect(`${consent.pathname}${consent.search}`, 303);
  });

  /** The emulated bank's own consent page, reached through the redirect TrueLayer's flow gives. */
  app.get<{ Querystring: Fields }>('/bank/consent', async (request, reply) => {
    const locale = localeOf(request.query.locale, request.headers['accept-language']);
    const t = messagesFor(locale);
    const payment = state.payments.get(request.query.payment_id ?? '');
    if (!payment?.consentToken || request.query.token !== payment.consentToken) {
      return refusal(reply, locale, t, 'This bank session is not known or has ended.');
    }
    const bank = emulatedBanks.find((b) => b.id === payment.providerId);
    const carried = hidden({ payment_id: payment.id, token: payment.consentToken, locale });
    return page(
      reply,
      200,
      locale,
      `${bank?.displayName ?? ''} — ${t.consentTitle}`,
      `<h1>${escapeHtml(bank?.displayName ?? '')}: ${t.consentTitle}</h1>
<p>${t.consentIntro}</p>
<p>${t.amountLabel}: <strong>${formatAmount(payment, locale)}</strong></p>
<form method="post" action="${HPP_PREFIX}/bank/consent">
${carried}
<button type="submit" name="outcome" value="authorise">${t.authorise}</button>
<button type="submit" name="outcome" value="cancel">${t.cancel}</button>
<fieldset>
<legend>${t.testControls}</legend>
<button type="submit" name="outcome" value="refuse">${t.bankRefuses}</button>
<button type="submit" name="outcome" value="fail">${t.authorisationFails}</button>
</fieldset>
</form>`,
    );
  });

  app.post<{ Body: Fields }>('/bank/consent', async (request, reply) => {
    const fields = request.body ?? {};
    const locale = localeOf(fields.locale, request.headers['accept-language']);
    const t = messagesFor(locale);
    const payment = state.payments.get(fields.payment_id ?? '');
    if (!payment?.consentToken || fields.token !== payment.consentToken || !payment.returnUri) {
      return refusal(reply, locale, t, 'This bank session is not known or has ended.');
    }
    const returnUri = payment.returnUri;
    if (payment.status !== 'authorizing') return closed(reply, locale, t, payment, returnUri);
    delete payment.consentToken;
    if (fields.outcome === 'authorise') lifecycle.authorize(payment);
    else if (fields.outcome === 'refuse') lifecycle.fail(payment, 'rejected');
    else if (fields.outcome === 'fail') lifecycle.fail(payment, 'authorization_failed');
    else lifecycle.fail(payment, 'canceled');
    return reply.redirect(back(payment, returnUri), 303);
  });
}
