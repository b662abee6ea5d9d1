import type { CartLine } from './cart.js';
import { type Market, type Product, productBySku } from './catalogue.js';

/** A cart line with its price from the catalogue, in the market's currency. */
export interface PricedLine {
  product: Product;
  quantity: number;
  amount: number;
}

export function price(lines: CartLine[], market: Market): { lines: PricedLine[]; total: number } {
  const priced = lines.flatMap((l) => {
    const product = productBySku(l.sku);
    return product
      ? [{ product, quantity: l.quantity, amount: product.prices[market.currency] * l.quantity }]
      : [];
  });
  return { lines: priced, total: priced.reduce((sum, l) => sum + l.amount, 0) };
}

/**
 * The shop's server talking to payin with its secret key: it creates the payment (amount from
 * the catalogue, never from the browser) and reads the outcome for the confirmation page.
 */
export class PayinServer {
  constructor(
    private readonly apiUrl: string,
    private readonly secretKey: () => Promise<string>,
  ) {}

  async createPayment(input: {
    amount: number;
    currency: string;
    country: string;
    returnUrl: string;
    reference: string;
    description: string;
  }): Promise<{ id: string; client_secret: string }> {
    const response = await fetch(`${this.apiUrl}/v1/payments`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${await this.secretKey()}`,
        'Content-Type': 'application/json',
        'Idempotency-Key': `shop-${input.reference}`,
      },
      body: JSON.stringify({
        amount: input.amount,
        currency: input.currency,
        country: input.country,
        return_url: input.returnUrl,
        reference: input.reference,
        description: input.description,
      }),
    });
    const body = (await response.json()) as {
      id: string;
      client_secret: string;
      error?: { message: string };
    };
    if (!response.ok) throw new Error(`payin refused the payment: ${body.error?.message ?? response.status}`);
    return body;
  }

  async payment(
    id: string,
  ): Promise<{ id: string; status: string; amount: number; currency: string } | undefined> {
    const response = await fetch(`${this.apiUrl}/v1/payments/${encodeURIComponent(id)}`, {
      headers: { Authorization: `Bearer ${await this.secretKey()}` },
    });
    if (!response.ok) return undefined;
    return (await response.json()) as { id: string; status: string; amount: number; currency: string };
  }
}
