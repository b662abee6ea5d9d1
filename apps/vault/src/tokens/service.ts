import { createHmac, randomBytes } from 'node:crypto';
import { errors, randomToken } from '@payin/core';
import type { Selectable } from 'kysely';
import type { AuditLog } from '../audit/log.js';
import type { VaultDb } from '../db/connect.js';
import type { VaultDatabase } from '../db/schema.js';
import type { DataKeyRing } from '../keys/data-keys.js';
import type { CardInput } from './card-input.js';
import { issuerOf } from './issuers.js';

/** What anyone but the vault may know of a card (PCI DSS 3.4.1: BIN and last four at most). */
export interface TokenView {
  id: string;
  object: 'token';
  created: number;
  livemode: boolean;
  /** Unix seconds after which an unretained token no longer works; null once retained. */
  expires_at: number | null;
  card: {
    brand: string;
    available_brands: string[];
    bin: string;
    last4: string;
    exp_month: number;
    exp_year: number;
    funding: string | null;
    country: string | null;
    fingerprint: string;
    /** The CVC is still held (until its first use or ten minutes). */
    cvc_available: boolean;
  };
}

/** The clear card, for the proxy only. */
export interface RevealedCard {
  number: string;
  expMonth: number;
  expYear: number;
  holderName: string | null;
  /** Filled in by `takeCvc` for the request that uses it. */
  cvc: string | null;
  /** Whether a CVC was held when the card was revealed: only then is one worth taking. */
  cvcHeld: boolean;
}

interface SealedCard {
  number: string;
  exp_month: number;
  exp_year: number;
  holder_name: string | null;
}

export interface TokenSettings {
  tokenTtlMs: number;
  cvcTtlMs: number;
}

/** Authenticated data: a sealed card or CVC opens only in the row and field it was written for. */
const cardAad = (tokenId: string) => `token:${tokenId}:card`;
const cvcAad = (tokenId: string) => `token:${tokenId}:cvc`;
const FINGERPRINT_SECRET = 'fingerprint';

export class TokenService {
  private fingerprintKey: Promise<Buffer> | null = null;

  constructor(
    private readonly db: VaultDb,
    private readonly keys: DataKeyRing,
    private readonly audit: AuditLog,
    private readonly settings: TokenSettings,
  ) {}

  async tokenize(merchantId: string, livemode: boolean, card: CardInput, actor: string): Promise<TokenView> {
    const id = `tok_${randomToken(24)}`;
    const now = new Date();
    const sealedCard: SealedCard = {
      number: card.number,
      exp_month: card.expMonth,
      exp_year: card.expYear,
      holder_name: card.holderName,
    };
    const sealed = await this.keys.seal(Buffer.from(JSON.stringify(sealedCard)), cardAad(id));
    const cvc = card.cvc ? await this.keys.seal(Buffer.from(card.cvc), cvcAad(id)) : null;
    const issuer = issuerOf(card.number);
    const row = {
      id,
      merchantId,
      livemode,
      dataKeyId: sealed.dataKeyId,
      sealedCard: sealed.sealed,
      brand: card.brand,
      availableBrands: card.availableBrands,
      bin: card.number.slice(0, 6),
      last4: card.number.slice(-4),
      expMonth: card.expMonth,
      expYear: card.expYear,
      funding: issuer?.funding ?? null,
      country: issuer?.country ?? null,
      fingerprint: await this.fingerprint(merchantId, card.number),
      hasHolderName: card.holderName !== null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.settings.tokenTtlMs),
    };
    // One statement of data-modifying CTEs, which PostgreSQL runs atomically: one round trip where a
    // transaction takes five (BEGIN, three inserts, COMMIT); on this path they were most of the CPU.
    const audit = this.audit.row({ actor, action: 'token.created', merchantId, tokenId: id, outcome: 'ok' });
    const withToken = this.db.with('token', (db) => db.insertInto('tokens').values(row));
    await (cvc
      ? withToken
          .with('cvc', (db) =>
            db.insertInto('tokenCvcs').values({
              tokenId: id,
              dataKeyId: cvc.dataKeyId,
              sealedCvc: cvc.sealed,
              expiresAt: new Date(now.getTime() + this.settings.cvcTtlMs),
            }),
          )
          .insertInto('auditEvents')
          .values(audit)
      : withToken.insertInto('auditEvents').values(audit)
    ).execute();
    return view(row, cvc !== null);
  }

  /** The masked view of a token of this merchant and mode; 404 for anyone else's. */
  async describe(merchantId: string, livemode: boolean, tokenId: string, actor: string): Promise<TokenView> {
    const row = await this.find(merchantId, livemode, tokenId);
    // On the way of every token payment: the entry is written without holding the answer.
    this.audit.recordInBackground(this.db, {
      actor,
      action: 'token.read',
      merchantId,
      tokenId,
      outcome: 'ok',
    });
    return view(row, row.cvcHeld);
  }

  /** Keeps a token beyond its expiry, for a card saved to pay again (one-click). */
  async retain(merchantId: string, livemode: boolean, tokenId: string, actor: string): Promise<TokenView> {
    await this.find(merchantId, livemode, tokenId);
    await this.db.updateTable('tokens').set({ expiresAt: null }).where('id', '=', tokenId).execute();
    await this.audit.record(this.db, { actor, action: 'token.retained', merchantId, tokenId, outcome: 'ok' });
    return this.describe(merchantId, livemode, tokenId, actor);
  }

  /**
   * The clear card for the proxy, without its CVC: that one is taken apart (`takeCvc`), once the
   * request it goes into is known to be sendable.
   */
  async reveal(merchantId: string, livemode: boolean, tokenId: string, param: string): Promise<RevealedCard> {
    const row = await this.find(merchantId, livemode, tokenId, param);
    const card = JSON.parse(
      (await this.keys.open(row.dataKeyId, row.sealedCard, cardAad(tokenId))).toString('utf8'),
    ) as SealedCard;
    return {
      number: card.number,
      expMonth: card.exp_month,
      expYear: card.exp_year,
      holderName: card.holder_name,
      cvc: null,
      cvcHeld: row.cvcHeld,
    };
  }

  /**
   * The token's CVC, deleted by the statement that reads it, so it serves exactly one provider
   * request (PCI DSS 3.3.1.2); null when gone, expired or never given.
   */
  async takeCvc(tokenId: string): Promise<string | null> {
    const taken = await this.db
      .deleteFrom('tokenCvcs')
      .where('tokenId', '=', tokenId)
      .returning(['dataKeyId', 'sealedCvc', 'expiresAt'])
      .executeTakeFirst();
    if (!taken || taken.expiresAt.getTime() <= Date.now()) return null;
    return (await this.keys.open(taken.dataKeyId, taken.sealedCvc, cvcAad(tokenId))).toString('utf8');
  }

  /** Destroys CVCs past their ten minutes; returns how many. */
  async destroyExpiredCvcs(): Promise<number> {
    const gone = await this.db
      .deleteFrom('tokenCvcs')
      .where('expiresAt', '<=', new Date())
      .returning('tokenId')
      .execute();
    if (gone.length > 0) {
      await this.audit.record(this.db, {
        actor: 'vault',
        action: 'cvc.destroyed',
        outcome: 'expired',
        detail: { count: gone.length },
      });
    }
    return gone.length;
  }

  private async find(merchantId: string, livemode: boolean, tokenId: string, param?: string) {
    const row = await this.db
      .selectFrom('tokens')
      .selectAll()
      // Whether a CVC is still held, in the same statement: a read or a proxied request that
      // names no CVC (a saved card's) then costs one query.
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('tokenCvcs')
              .select('tokenCvcs.tokenId')
              .whereRef('tokenCvcs.tokenId', '=', 'tokens.id')
              .where('tokenCvcs.expiresAt', '>', new Date()),
          )
          .as('cvcHeld'),
      )
      .where('id', '=', tokenId)
      .where('merchantId', '=', merchantId)
      .where('livemode', '=', livemode)
      .executeTakeFirst();
    if (!row) throw errors.notFound('token', tokenId, param);
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) throw errors.tokenExpired(tokenId, param);
    return { ...row, cvcHeld: Boolean(row.cvcHeld) };
  }

  /**
   * HMAC-SHA256 of the PAN under the vault's fingerprint key, with the merchant in the input:
   * the same card gives the same fingerprint for one merchant and unrelated ones across
   * merchants, and nobody without the key can test a guessed number against it.
   */
  private async fingerprint(merchantId: string, pan: string): Promise<string> {
    const key = await this.fingerprintSecret();
    return createHmac('sha256', key).update(`${merchantId}:${pan}`).digest('base64url').slice(0, 22);
  }

  private fingerprintSecret(): Promise<Buffer> {
    this.fingerprintKey ??= this.loadFingerprintSecret().catch((error) => {
      this.fingerprintKey = null;
      throw error;
    });
    return this.fingerprintKey;
  }

  private async loadFingerprintSecret(): Promise<Buffer> {
    const aad = `secret:${FINGERPRINT_SECRET}`;
    const existing = await this.db
      .selectFrom('vaultSecrets')
      .select(['dataKeyId', 'sealed'])
      .where('name', '=', FINGERPRINT_SECRET)
      .executeTakeFirst();
    if (existing) return this.keys.open(existing.dataKeyId, existing.sealed, aad);
    const sealed = await this.keys.seal(randomBytes(32), aad);
    // Two processes starting together: the first insert wins and both use its secret.
    await this.db
      .insertInto('vaultSecrets')
      .values({ name: FINGERPRINT_SECRET, dataKeyId: sealed.dataKeyId, sealed: sealed.sealed })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return this.loadFingerprintSecret();
  }
}

function view(
  row: Pick<
    Selectable<VaultDatabase['tokens']>,
    | 'id'
    | 'livemode'
    | 'createdAt'
    | 'expiresAt'
    | 'brand'
    | 'availableBrands'
    | 'bin'
    | 'last4'
    | 'expMonth'
    | 'expYear'
    | 'funding'
    | 'country'
    | 'fingerprint'
  >,
  cvcAvailable: boolean,
): TokenView {
  return {
    id: row.id,
    object: 'token',
    created: Math.floor(row.createdAt.getTime() / 1000),
    livemode: row.livemode,
    expires_at: row.expiresAt ? Math.floor(row.expiresAt.getTime() / 1000) : null,
    card: {
      brand: row.brand,
      available_brands: row.availableBrands,
      bin: row.bin,
      last4: row.last4,
      exp_month: row.expMonth,
      exp_year: row.expYear,
      funding: row.funding,
      country: row.country,
      fingerprint: row.fingerprint,
      cvc_available: cvcAvailable,
    },
  };
}
