import { newId, randomToken } from '../ids.js';
import type { Scope, WebhookEndpointRecord } from '../records.js';
import { webhookEndpointView } from '../views.js';
import type { CoreDeps } from './deps.js';
import type { ApiResponse, Progress } from './idempotency.js';

/** Creates an endpoint; its signing secret is in this response and nowhere else in the API. */
export async function createWebhookEndpoint(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  scope: Scope,
  input: { url: string; enabledEvents: string[]; description?: string | null },
  progress: Progress,
): Promise<ApiResponse> {
  const endpoint: WebhookEndpointRecord = {
    ...scope,
    id: newId('webhookEndpoint'),
    url: input.url,
    enabledEvents: input.enabledEvents,
    description: input.description ?? null,
    secret: `whsec_${randomToken(32)}`,
    createdAt: deps.clock.now(),
  };
  return deps.store.transaction(async (tx) => {
    await tx.insertWebhookEndpoint(endpoint);
    const response = { status: 200, body: webhookEndpointView(endpoint, { withSecret: true }) };
    await progress.finish(tx, response);
    return response;
  });
}
