import type { ColumnType, Generated } from 'kysely';

/** The vault's tables, as Kysely sees them (camelCase here, snake_case in SQL). */
export interface VaultDatabase {
  dataKeys: {
    id: string;
    kekId: string;
    wrappedKey: string;
    createdAt: Generated<Date>;
    retiredAt: Date | null;
  };
  vaultSecrets: {
    name: string;
    dataKeyId: string;
    sealed: string;
    createdAt: Generated<Date>;
  };
  tokens: {
    id: string;
    merchantId: string;
    livemode: boolean;
    dataKeyId: string;
    sealedCard: string;
    brand: string;
    availableBrands: string[];
    bin: string;
    last4: string;
    expMonth: number;
    expYear: number;
    funding: string | null;
    country: string | null;
    fingerprint: string;
    hasHolderName: boolean;
    createdAt: Generated<Date>;
    expiresAt: Date | null;
  };
  tokenCvcs: {
    tokenId: string;
    dataKeyId: string;
    sealedCvc: string;
    expiresAt: Date;
  };
  auditEvents: {
    seq: Generated<number>;
    at: Generated<Date>;
    actor: string;
    action: string;
    merchantId: string | null;
    tokenId: string | null;
    outcome: string;
    detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  };
}
