import { generateKeyPairSync, type KeyObject, randomUUID, sign as signBytes } from 'node:crypto';
import type { Jwks } from '@payin/provider-wire/truelayer';
import { extractKid, type HttpMethod, verify } from 'truelayer-signing';
import { TrueLayerProblem } from './errors.js';
import type { ClientRecord } from './state.js';

/**
 * Checks a Payments API request's `Tl-Signature` (https://docs.truelayer.com/docs/sign-your-payments-requests,
 * request-signing-v2 in TrueLayer/truelayer-signing): a detached ES512 JWS by a key the client
 * uploaded, over the method, the path, the `Idempotency-Key` header and the body exactly as sent.
 * The path is the one TrueLayer serves (`/v3/payments`); a client pointed at the emulator's
 * base URL signs the path it sends (`/truelayer/api/v3/payments`), which is accepted too.
 */
export function verifyRequestSignature(
  client: ClientRecord,
  request: {
    method: string;
    paths: string[];
    headers: Record<string, string | string[] | undefined>;
    body: string;
  },
): void {
  const signature = request.headers['tl-signature'];
  if (typeof signature !== 'string' || signature === '') {
    throw new TrueLayerProblem('unauthenticated', 'The Tl-Signature header is missing.');
  }
  let kid: string;
  try {
    kid = extractKid(signature);
  } catch {
    throw new TrueLayerProblem('unauthenticated', 'The Tl-Signature header is not a valid JWS.');
  }
  const publicKeyPem = client.signingKeys.get(kid);
  if (!publicKeyPem) {
    throw new TrueLayerProblem(
      'unauthenticated',
      `No public key with kid ${kid} is registered for this client.`,
    );
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') headers[name] = value;
  }
  for (const path of request.paths) {
    try {
      verify({
        publicKeyPem,
        signature,
        method: request.method as HttpMethod,
        path,
        body: request.body,
        headers,
        requiredHeaders: ['Idempotency-Key'],
      });
      return;
    } catch {
      // Try the next form of the path; none matching is answered below.
    }
  }
  throw new TrueLayerProblem('unauthenticated', 'Invalid request signature.');
}

/**
 * The emulator's own webhook signing key: TrueLayer signs each webhook with a key whose public
 * half it serves as a JWKS at the URL in the signature's `jku` header
 * (https://docs.truelayer.com/docs/verify-the-signature-of-a-payment-webhook). The JWS header
 * carries `jku`, which truelayer-signing's `sign` does not write, hence the JWS built here.
 */
export class WebhookSigner {
  readonly kid = randomUUID();
  private readonly privateKey: KeyObject;
  private readonly publicJwk: { x: string; y: string };

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    this.privateKey = pair.privateKey;
    const jwk = pair.publicKey.export({ format: 'jwk' });
    this.publicJwk = { x: String(jwk.x), y: String(jwk.y) };
  }

  jwks(): Jwks {
    return {
      keys: [{ kty: 'EC', crv: 'P-521', ...this.publicJwk, kid: this.kid, alg: 'ES512', use: 'sig' }],
    };
  }

  /** `Tl-Signature` for a POST to `path` with these signed headers and body, pointing at `jku`. */
  sign(args: { path: string; headers: Record<string, string>; body: string; jku: string }): string {
    const names = Object.keys(args.headers);
    const header = {
      alg: 'ES512',
      kid: this.kid,
      tl_version: '2',
      tl_headers: names.join(','),
      jku: args.jku,
    };
    let payload = `POST ${args.path}\n`;
    for (const name of names) payload += `${name}: ${args.headers[name]}\n`;
    payload += args.body;
    const encode = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const input = `${encode(JSON.stringify(header))}.${encode(payload)}`;
    const signature = signBytes('sha512', Buffer.from(input), {
      key: this.privateKey,
      dsaEncoding: 'ieee-p1363',
    });
    return `${encode(JSON.stringify(header))}..${signature.toString('base64url')}`;
  }
}
