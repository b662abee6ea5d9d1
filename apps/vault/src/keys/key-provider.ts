/**
 * Where key-encryption keys (KEKs) live. The vault never stores a KEK beside the data it
 * protects (PCI DSS 3.6.1): its database holds data keys only wrapped by a KEK that comes from
 * here. The interface has the shape of a cloud KMS (AWS KMS Encrypt/Decrypt with an
 * encryption context, GCP Cloud KMS, Vault Transit): a production provider calls one, and the
 * KEK never enters the process at all. The default provider reads a local key file.
 */
export interface KeyProvider {
  /** The KEK new data keys are wrapped with. */
  activeKeyId(): Promise<string>;
  /** Encrypts a data key under KEK `keyId`; `context` is authenticated (KMS encryption context). */
  wrap(keyId: string, dataKey: Buffer, context: string): Promise<string>;
  /** Throws if `keyId` is unknown or the wrapped key or context were altered. */
  unwrap(keyId: string, wrapped: string, context: string): Promise<Buffer>;
  /** Re-reads the key source so that a rotation made by another process is seen. */
  refresh(): Promise<void>;
}

export class UnknownKeyError extends Error {
  constructor(keyId: string) {
    super(`key-encryption key ${keyId} is not available from the key provider`);
    this.name = 'UnknownKeyError';
  }
}
