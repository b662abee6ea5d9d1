import { signServiceRequest } from '@payin/service-auth';

/**
 * What `npm run bench:vault` sends the vault, and which answers count: the hosted fields' tokenization
 * and the api's signed proxy request.
 */

export const SHOP_ORIGIN = 'https://shop.example';
export const MERCHANT = 'mer_bench';
const CARD = {
  number: '4242 4242 4242 4242',
  exp_month: 12,
  exp_year: new Date().getFullYear() + 5,
  cvc: '123',
  holder_name: 'Bench Shopper',
};
/** The card number as the provider receives it: its presence proves the placeholder was filled in. */
export const CARD_DIGITS = CARD.number.replace(/\s/g, '');
export const PROVIDER_PATH = '/v71/payments';
/** Headers of the provider request, direct or through the vault. */
export const PROVIDER_HEADERS = { 'content-type': 'application/json', 'idempotency-key': 'bench' };

/** `POST /v1/tokens` as the hosted fields send it from the merchant's page. */
export function tokenRequest(baseUrl: string, publishableKey: string) {
  return {
    url: baseUrl,
    path: '/v1/tokens',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${publishableKey}`,
      origin: SHOP_ORIGIN,
    },
    body: JSON.stringify({ card: CARD }),
  };
}

/**
 * The body of `POST /v1/proxy`: an authorisation as the Adyen connector writes it, card fields as
 * placeholders of `token`, the CVC and holder name optional. The CVC serves one request only, so
 * every later request of a token has it left out, as a saved card's payments do.
 */
export function proxyBody(token: string, providerUrl: string): string {
  return JSON.stringify({
    merchant: MERCHANT,
    livemode: false,
    request: {
      url: providerUrl + PROVIDER_PATH,
      method: 'POST',
      headers: PROVIDER_HEADERS,
      body: JSON.stringify({
        merchantAccount: 'BenchMerchant',
        reference: 'bench-order',
        amount: { value: 1999, currency: 'EUR' },
        paymentMethod: {
          type: 'scheme',
          number: `{{${token}.number}}`,
          expiryMonth: `{{${token}.exp_month}}`,
          expiryYear: `{{${token}.exp_year}}`,
          cvc: `{{${token}.cvc?}}`,
          holderName: `{{${token}.holder_name?}}`,
        },
        shopperInteraction: 'Ecommerce',
      }),
    },
  });
}

/** A fresh signature of the api for `POST /v1/proxy` with `body`: the vault takes each nonce once. */
export function signProxyRequest(secret: string, body: string): Record<string, string> {
  return {
    'payin-service-signature': signServiceRequest(secret, 'api', { method: 'POST', path: '/v1/proxy', body }),
  };
}

export function tokenIdOf(body: string): string | null {
  const id = (parseJson(body) as { id?: unknown } | null)?.id;
  return typeof id === 'string' && id.startsWith('tok_') ? id : null;
}

/** The vault's 200 carrying the provider's own 200. */
export function isProviderAnswer(body: string, status: number): boolean {
  return status === 200 && (parseJson(body) as { status?: unknown } | null)?.status === 200;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
