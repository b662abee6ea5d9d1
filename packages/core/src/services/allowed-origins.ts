import { errors } from '../errors.js';
import { newId } from '../ids.js';
import type { AllowedOriginRecord, Scope } from '../records.js';
import { allowedOriginView } from '../views.js';
import type { CoreDeps } from './deps.js';
import type { ApiResponse, Progress } from './idempotency.js';

/**
 * An origin exactly as browsers send it (`https://shop.example`, `http://localhost:3000`): scheme,
 * host and port, nothing else. Live mode takes https only: card fields on a page served in
 * clear could be read by anyone on the path.
 */
export function checkOrigin(value: string, livemode: boolean): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw errors.invalidParameter('origin', 'origin must look like https://shop.example (scheme and host).');
  }
  if (url.origin !== value) {
    throw errors.invalidParameter(
      'origin',
      `origin must be scheme, host and port only, without path or trailing slash: ${url.origin === 'null' ? 'https://shop.example' : url.origin}.`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !livemode)) {
    throw errors.invalidParameter(
      'origin',
      livemode ? 'Live-mode origins must use https.' : 'origin must use http or https.',
    );
  }
  return url.origin;
}

/** Registers an origin; one already registered is refused with a 400 naming it. */
export async function createAllowedOrigin(
  deps: Pick<CoreDeps, 'store' | 'clock'>,
  scope: Scope,
  origin: string,
  progress: Progress,
): Promise<ApiResponse> {
  const record: AllowedOriginRecord = {
    ...scope,
    id: newId('allowedOrigin'),
    origin,
    createdAt: deps.clock.now(),
  };
  return deps.store.transaction(async (tx) => {
    if (!(await tx.insertAllowedOrigin(record))) {
      throw errors.invalidParameter('origin', `${origin} is already registered.`);
    }
    const response = { status: 200, body: allowedOriginView(record) };
    await progress.finish(tx, response);
    return response;
  });
}
