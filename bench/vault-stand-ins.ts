import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SERVICE_SIGNATURE_HEADER, verifyServiceRequest } from '@payin/service-auth';

/** A server of the bench's own process, standing in for a neighbour of the vault. */
export interface StandIn {
  url: string;
  close(): Promise<void>;
}

export interface MerchantStandIn {
  publishableKey: string;
  merchant: string;
  allowedOrigin: string;
}

/**
 * The api's side of the vault's publishable-key lookup, for one merchant: `GET
 * /internal/v1/publishable_keys/{key}` signed by the vault with the shared secret answers the
 * merchant, 404 for any other key, 401 when the signature does not verify. The vault remembers the
 * answer for half a minute, so this is asked a handful of times per run.
 */
export async function startKeyDirectory(
  secret: string,
  merchant: MerchantStandIn,
): Promise<StandIn & { refusedSignatures(): number }> {
  let refused = 0;
  const path = `/internal/v1/publishable_keys/${encodeURIComponent(merchant.publishableKey)}`;
  const server = createServer((request, response) => {
    readBody(request, (body) => {
      const verified = verifyServiceRequest(
        secret,
        request.headers[SERVICE_SIGNATURE_HEADER] as string | undefined,
        { method: request.method ?? '', path: request.url ?? '', body },
      );
      if (!verified.ok) {
        refused++;
        return answer(response, 401, { error: { code: 'service_auth_failed', message: verified.reason } });
      }
      if (request.method !== 'GET' || request.url !== path) {
        return answer(response, 404, { error: { code: 'resource_missing' } });
      }
      answer(response, 200, {
        merchant: merchant.merchant,
        livemode: false,
        allowed_origins: [merchant.allowedOrigin],
      });
    });
  });
  return { ...(await listen(server)), refusedSignatures: () => refused };
}

/**
 * A provider that answers every request at once with 200 and a small JSON body, and keeps the last
 * body it received: what the vault sent once it filled the card in.
 */
export async function startEchoHost(): Promise<StandIn & { lastBody(): string | null }> {
  let last: string | null = null;
  const server = createServer((request, response) => {
    readBody(request, (body) => {
      last = body;
      answer(response, 200, { pspReference: 'bench', resultCode: 'Authorised' });
    });
  });
  return { ...(await listen(server)), lastBody: () => last };
}

function readBody(request: IncomingMessage, then: (body: string) => void): void {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => then(Buffer.concat(chunks).toString('utf8')));
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

async function listen(server: Server): Promise<StandIn> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
