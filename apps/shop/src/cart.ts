import { createHmac, timingSafeEqual } from 'node:crypto';
import { productBySku } from './catalogue.js';

/**
 * The cart lives in a cookie the shop signs (HMAC-SHA256): no server state, and a shopper
 * cannot change a price or a quantity behind the shop's back. Prices are never in it: they are
 * read from the catalogue when the payment is created.
 */
export interface CartLine {
  sku: string;
  quantity: number;
}

export const MAX_QUANTITY = 5;
export const MAX_LINES = 20;

export function encodeCart(lines: CartLine[], secret: string): string {
  const data = Buffer.from(JSON.stringify(lines)).toString('base64url');
  return `${data}.${sign(data, secret)}`;
}

/** The lines of a signed cart; an empty cart for anything unsigned, tampered or malformed. */
export function decodeCart(value: string | undefined, secret: string): CartLine[] {
  if (!value) return [];
  const [data, signature] = value.split('.');
  if (!data || !signature) return [];
  const expected = Buffer.from(sign(data, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return [];
  try {
    const lines = JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(lines) ? lines.filter(isLine).slice(0, MAX_LINES) : [];
  } catch {
    return [];
  }
}

export function addToCart(lines: CartLine[], sku: string, quantity = 1): CartLine[] {
  if (!productBySku(sku)) return lines;
  const existing = lines.find((l) => l.sku === sku);
  if (existing) {
    return lines.map((l) =>
      l.sku === sku ? { sku, quantity: Math.min(MAX_QUANTITY, l.quantity + quantity) } : l,
    );
  }
  return lines.length >= MAX_LINES ? lines : [...lines, { sku, quantity: Math.min(MAX_QUANTITY, quantity) }];
}

export function setQuantity(lines: CartLine[], sku: string, quantity: number): CartLine[] {
  if (quantity <= 0) return lines.filter((l) => l.sku !== sku);
  return lines.map((l) => (l.sku === sku ? { sku, quantity: Math.min(MAX_QUANTITY, quantity) } : l));
}

const sign = (data: string, secret: string) => createHmac('sha256', secret).update(data).digest('base64url');

function isLine(value: unknown): value is CartLine {
  const line = value as CartLine;
  return (
    typeof line?.sku === 'string' &&
    productBySku(line.sku) !== undefined &&
    Number.isInteger(line.quantity) &&
    line.quantity >= 1 &&
    line.quantity <= MAX_QUANTITY
  );
}
