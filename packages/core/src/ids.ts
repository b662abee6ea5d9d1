import { randomBytes } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random base62 string; 24 characters carry ~143 bits, enough to be unguessable. */
export function randomToken(length = 24): string {
  const bytes = randomBytes(length * 2);
  let out = '';
  for (let i = 0; i < bytes.length && out.length < length; i++) {
    const b = bytes[i] as number;
    // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
    if (b < 248) out += alphabet[b % 62];
  }
  return out.length === length ? out : out + randomToken(length - out.length);
}

export const idPrefixes = {
  payment: 'pay',
  attempt: 'att',
  capture: 'cap',
  refund: 're',
  event: 'evt',
  webhookEndpoint: 'we',
  webhookDelivery: 'whd',
  merchant: 'mer',
  apiKey: 'key',
} as const;

export type IdKind = keyof typeof idPrefixes;

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomToken()}`;
}
