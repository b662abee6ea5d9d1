import { createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { webhookSigningCertificate, webhookSigningKey } from './fixtures/webhook-signing.js';

/**
 * How PayPal signs a webhook delivery
 * (https://developer.paypal.com/api/rest/webhooks/rest/#link-verifysignature): the
 * PAYPAL-TRANSMISSION-SIG header is the base64 RSA-SHA256 signature (PAYPAL-AUTH-ALGO
 * `SHA256withRSA`) of `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw
 * body, as an unsigned decimal>`, made with the key of the X.509 certificate served at
 * PAYPAL-CERT-URL.
 */
export function signedMessage(
  transmissionId: string,
  transmissionTime: string,
  webhookId: string,
  body: string,
): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(Buffer.from(body, 'utf8'))}`;
}

export interface SigningMaterial {
  /** PEM private key. */
  key: string;
  /** PEM X.509 certificate of that key, served at the cert URL. */
  certificate: string;
}

/** The emulator's test signing key and certificate (fixtures/README.md says how they were made). */
export const fixtureSigningMaterial = (): SigningMaterial => ({
  key: webhookSigningKey,
  certificate: webhookSigningCertificate,
});

export function signTransmission(message: string, key: string): string {
  return sign('sha256', Buffer.from(message, 'utf8'), key).toString('base64');
}

/** Verifies a transmission signature with the public key of a PEM certificate. */
export function verifyTransmission(message: string, signature: string, certificate: string): boolean {
  try {
    const publicKey = createPublicKey(
      new X509Certificate(certificate).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    return verify('sha256', Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
