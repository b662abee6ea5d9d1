import type { Kysely } from 'kysely';
import type { VaultDatabase } from '../db/schema.js';

export interface AuditEntry {
  /** Who: `merchant:mer_…` (hosted fields), `service:api`, `operator`, `vault` (its own jobs). */
  actor: string;
  /** What: token.created, token.read, token.retained, proxy.forwarded, proxy.refused, cvc.destroyed, key.rotated… */
  action: string;
  merchantId?: string | null;
  tokenId?: string | null;
  outcome: string;
  /** Hosts, statuses, counts, key ids. Never card data: the callers pass none, and nothing here reads any. */
  detail?: Record<string, unknown>;
}

/**
 * The vault's audit trail (PCI DSS 10.2.1): every tokenization, read, proxy use and key
 * operation, written in the transaction of the act it records where there is one.
 */
export class AuditLog {
  private readonly pending = new Set<Promise<void>>();

  /** @param onError where a failed background write is reported (the vault's logger). */
  constructor(private readonly onError: (error: unknown, entry: AuditEntry) => void = () => {}) {}

  async record(db: Kysely<VaultDatabase>, entry: AuditEntry): Promise<void> {
    await db.insertInto('auditEvents').values(this.row(entry)).execute();
  }

  /**
   * Writes the entry without making the caller wait for the database's commit: the outcome of
   * a proxied request, whose answer should not carry an extra round trip and a disk flush
   * (the request itself was authorised and its token read before it left). The write is
   * tracked: `drain()` waits for it, and reads of the trail and shutdown drain first.
   */
  recordInBackground(db: Kysely<VaultDatabase>, entry: AuditEntry): void {
    const write: Promise<void> = this.record(db, entry)
      .catch((error: unknown) => this.onError(error, entry))
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The row of an entry, for a statement that writes it with the act it records. */
  row(entry: AuditEntry) {
    return {
      actor: entry.actor,
      action: entry.action,
      merchantId: entry.merchantId ?? null,
      tokenId: entry.tokenId ?? null,
      outcome: entry.outcome,
      detail: JSON.stringify(entry.detail ?? {}),
    };
  }

  async list(db: Kysely<VaultDatabase>, opts: { tokenId?: string; limit: number; before?: number }) {
    await this.drain();
    let query = db.selectFrom('auditEvents').selectAll().orderBy('seq', 'desc').limit(opts.limit);
    if (opts.tokenId) query = query.where('tokenId', '=', opts.tokenId);
    if (opts.before) query = query.where('seq', '<', opts.before);
    return query.execute();
  }
}
