import { newId, randomToken } from '@payin/core';
import type { Db } from '@payin/db';

/** Rows written straight into the tables, the way the api's transactions leave them. */

export async function seedMerchant(db: Db, createdAt: Date): Promise<string> {
  const id = newId('merchant');
  await db
    .insertInto('merchants')
    .values({ id, name: 'Test shop', country: 'FR', rateLimit: 100, createdAt })
    .execute();
  return id;
}

export interface EndpointSeed {
  merchantId: string;
  url: string;
  createdAt: Date;
  livemode?: boolean;
  enabledEvents?: string[];
  deletedAt?: Date | null;
}

export async function seedEndpoint(db: Db, e: EndpointSeed): Promise<{ id: string; secret: string }> {
  const id = newId('webhookEndpoint');
  const secret = `whsec_${randomToken(32)}`;
  await db
    .insertInto('webhookEndpoints')
    .values({
      id,
      merchantId: e.merchantId,
      livemode: e.livemode ?? false,
      url: e.url,
      enabledEvents: JSON.stringify(e.enabledEvents ?? ['*']),
      description: null,
      secret,
      createdAt: e.createdAt,
      deletedAt: e.deletedAt ?? null,
    })
    .execute();
  return { id, secret };
}

export interface EventSeed {
  merchantId: string;
  createdAt: Date;
  type?: string;
  livemode?: boolean;
}

export async function seedEvent(
  db: Db,
  e: EventSeed,
): Promise<{ id: string; object: Record<string, unknown> }> {
  const id = newId('event');
  const object = {
    id: newId('payment'),
    object: 'payment',
    amount: 2500,
    currency: 'eur',
    status: 'succeeded',
    metadata: { order: 'A-1001' },
    livemode: e.livemode ?? false,
  };
  await db
    .insertInto('events')
    .values({
      id,
      merchantId: e.merchantId,
      livemode: e.livemode ?? false,
      type: e.type ?? 'payment.succeeded',
      data: JSON.stringify(object),
      createdAt: e.createdAt,
    })
    .execute();
  return { id, object };
}
