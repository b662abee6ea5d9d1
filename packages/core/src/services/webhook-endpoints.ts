import { newId, randomToken } from '../ids.js';
import type { Scope, WebhookEndpointRecord } from '../records.js';
import type { Store } from '../store.js';
import type { Clock } from './deps.js';

export async function createWebhookEndpoint(
  store: Store,
  clock: Clock,
  scope: Scope,
  input: { url: string; enabledEvents: string[]; description?: string | null },
): Promise<WebhookEndpointRecord> {
  const endpoint: WebhookEndpointRecord = {
    ...scope,
    id: newId('webhookEndpoint'),
    url: input.url,
    enabledEvents: input.enabledEvents,
    description: input.description ?? null,
    secret: `whsec_${randomToken(32)}`,
    createdAt: clock.now(),
  };
  await store.transaction((tx) => tx.insertWebhookEndpoint(endpoint));
  return endpoint;
}
