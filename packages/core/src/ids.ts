import { randomFillSync } from 'node:crypto';

const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * Random bytes from the OS CSPRNG, drawn 4 KB at a time: one system call serves dozens of ids
 * instead of one each (every payment makes half a dozen).
 */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

/** Random base62 string; 24 characters carry ~143 bits, enough to be unguessable. */
export function randomToken(length = 24): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    // 248 = 4 * 62: rejecting larger bytes keeps every character equally likely.
    if (b < 248) out += alphabet[b % 62];
  }
  return out;
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
  allowedOrigin: 'ao',
  connectorAccount: 'ca',
  providerNotification: 'pn',
} as const;

export type IdKind = keyof typeof idPrefixes;

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${randomToken()}`;
}
