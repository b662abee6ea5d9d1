import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/audit/log.js';
import { open, seal, TamperedCiphertextError } from '../src/keys/envelope.js';
import { LocalKeyFileProvider } from '../src/keys/local-key-file.js';
import { rotateKek } from '../src/keys/rotation.js';
import { merchants, startEchoHost, startTestVault, visa } from './harness.js';

let vault: Awaited<ReturnType<typeof startTestVault>>;
let provider: Awaited<ReturnType<typeof startEchoHost>>;
beforeAll(async () => {
  provider = await startEchoHost();
  vault = await startTestVault({ proxyAllowlist: [provider.url], cvcTtlMs: 1_000 }, merchants);
});
afterAll(async () => {
  await vault.stop();
  await provider.close();
});

/** The card number as the provider receives it through the proxy. */
async function numberThroughProxy(tokenId: string): Promise<string> {
  const answer = await vault.service.request<any>('POST', '/v1/proxy', {
    merchant: 'mer_A',
    livemode: false,
    request: { url: `${provider.url}/pay`, method: 'POST', headers: {}, body: `{{${tokenId}.number}}` },
  });
  expect(answer.status).toBe(200);
  return provider.received.at(-1)?.body ?? '';
}

describe('envelope encryption', () => {
  const key = Buffer.alloc(32, 7);

  it('opens what it sealed, with the same authenticated data only', () => {
    const sealed = seal(key, Buffer.from('4242424242424242'), 'token:tok_1:card');
    expect(open(key, sealed, 'token:tok_1:card').toString()).toBe('4242424242424242');
    expect(() => open(key, sealed, 'token:tok_2:card')).toThrow(TamperedCiphertextError);
    expect(() => open(Buffer.alloc(32, 8), sealed, 'token:tok_1:card')).toThrow(TamperedCiphertextError);
  });

  it('refuses a ciphertext with any byte changed', () => {
    const sealed = seal(key, Buffer.from('4242424242424242'), 'aad');
    const [v, iv, tag, body = ''] = sealed.split('.');
    const bytes = Buffer.from(body, 'base64url');
    for (let i = 0; i < bytes.length; i++) {
      const flipped = Buffer.from(bytes);
      flipped[i] = (flipped[i] ?? 0) ^ 1;
      expect(() => open(key, [v, iv, tag, flipped.toString('base64url')].join('.'), 'aad')).toThrow(
        TamperedCiphertextError,
      );
    }
    expect(() => open(key, 'v1.bad', 'aad')).toThrow(TamperedCiphertextError);
  });
});

describe('card data at rest', () => {
  it('keeps no card number or CVC in clear in the database, and no key beside it', async () => {
    const { body: token } = await vault.tokenize(visa);
    const rows = await vault.db.selectFrom('tokens').selectAll().where('id', '=', token.id).execute();
    const cvcs = await vault.db.selectFrom('tokenCvcs').selectAll().where('tokenId', '=', token.id).execute();
    const dump = JSON.stringify([rows, cvcs]);
    expect(dump).not.toContain('4242424242424242');
    expect(dump).not.toMatch(/"123"|Ada/);
    // The KEK file is outside the database directory and readable by its owner only.
    expect(relative(vault.config.dataDir, vault.config.kekFile).startsWith('..')).toBe(true);
    expect(statSync(vault.config.kekFile).mode & 0o077).toBe(0);
    const dataKeys = await vault.db.selectFrom('dataKeys').selectAll().execute();
    const kek = JSON.parse(readFileSync(vault.config.kekFile, 'utf8'));
    for (const k of kek.keys) expect(JSON.stringify(dataKeys)).not.toContain(k.key);
  });

  it('refuses to reveal a token whose sealed card was moved to another row', async () => {
    const a = (await vault.tokenize(visa)).body;
    const b = (await vault.tokenize({ ...visa, number: '5555555555554444' })).body;
    const sealedA = await vault.db
      .selectFrom('tokens')
      .select('sealedCard')
      .where('id', '=', a.id)
      .executeTakeFirstOrThrow();
    await vault.db
      .updateTable('tokens')
      .set({ sealedCard: sealedA.sealedCard })
      .where('id', '=', b.id)
      .execute();
    const answer = await vault.service.request<any>('POST', '/v1/proxy', {
      merchant: 'mer_A',
      livemode: false,
      request: { url: `${provider.url}/pay`, method: 'POST', headers: {}, body: `{{${b.id}.number}}` },
    });
    expect(answer.status).toBe(500);
    expect(JSON.stringify(answer.body)).not.toContain('4242424242424242');
  });
});

describe('CVC lifetime', () => {
  it('destroys an unused CVC after its time, leaving the card usable', async () => {
    const { body: token } = await vault.tokenize(visa);
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await vault.tokens.destroyExpiredCvcs()).toBeGreaterThanOrEqual(1);
    const left = await vault.db
      .selectFrom('tokenCvcs')
      .select('tokenId')
      .where('tokenId', '=', token.id)
      .execute();
    expect(left).toHaveLength(0);
    const read = await vault.service.request<any>(
      'GET',
      `/v1/tokens/${token.id}?merchant=mer_A&livemode=false`,
    );
    expect(read.body.card.cvc_available).toBe(false);
    expect(await numberThroughProxy(token.id)).toBe('4242424242424242');
  });
});

describe('KEK rotation', () => {
  it('re-wraps every data key under a new KEK while tokenization and the proxy keep working', async () => {
    const before = await Promise.all([1, 2, 3].map(() => vault.tokenize(visa)));
    const oldKeks = new LocalKeyFileProvider(vault.config.kekFile).keyIds();

    // Live traffic during the rotation: tokenizations and proxied requests.
    let stop = false;
    const traffic = (async () => {
      const made: string[] = [];
      while (!stop) {
        const { status, body } = await vault.tokenize(visa);
        expect(status).toBe(201);
        made.push(body.id);
        expect(await numberThroughProxy(body.id)).toBe('4242424242424242');
      }
      return made;
    })();
    await new Promise((r) => setTimeout(r, 100));
    // A fresh data key created mid-rotation must be re-wrapped too.
    const keys = new LocalKeyFileProvider(vault.config.kekFile);
    const result = await rotateKek(vault.db, keys, new AuditLog());
    await new Promise((r) => setTimeout(r, 100));
    stop = true;
    const during = await traffic;
    expect(during.length).toBeGreaterThan(0);

    expect(result.rewrapped).toBeGreaterThanOrEqual(1);
    expect(result.retired).toEqual(oldKeks);
    const wrappedWith = await vault.db.selectFrom('dataKeys').select('kekId').distinct().execute();
    expect(wrappedWith.map((r) => r.kekId)).toEqual([result.kek]);
    expect(new LocalKeyFileProvider(vault.config.kekFile).keyIds()).toEqual([result.kek]);

    // Every token made before, during and after decrypts through the new KEK alone.
    const restarted = await import('../src/keys/data-keys.js');
    const ring = new restarted.DataKeyRing(vault.db, new LocalKeyFileProvider(vault.config.kekFile));
    for (const id of [...before.map((b) => b.body.id), ...during]) {
      const row = await vault.db
        .selectFrom('tokens')
        .select(['dataKeyId', 'sealedCard'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      const card = JSON.parse(
        (await ring.open(row.dataKeyId, row.sealedCard, `token:${id}:card`)).toString(),
      );
      expect(card.number).toBe('4242424242424242');
    }
    const after = await vault.tokenize(visa);
    expect(await numberThroughProxy(after.body.id)).toBe('4242424242424242');

    const audit = await vault.service.request<any>('GET', '/v1/audit_events?limit=100');
    expect(audit.body.data.some((e: any) => e.action === 'key.rotated' && e.detail.kek === result.kek)).toBe(
      true,
    );
  });

  // PostgreSQL only: PGlite runs one transaction at a time, so no tokenization can hold a lock
  // while the rotation runs.
  it.runIf(!!process.env.DATABASE_URL)(
    're-wraps a data key that a tokenization is referencing at that very moment',
    async () => {
      await vault.tokenize(visa);
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      let lockTaken = () => {};
      const taken = new Promise<void>((resolve) => {
        lockTaken = resolve;
      });
      // What inserting a token does to the data key it names: KEY SHARE, held to its commit.
      const tokenization = vault.db.transaction().execute(async (tx) => {
        await tx.selectFrom('dataKeys').select('id').forKeyShare().execute();
        lockTaken();
        await released;
      });
      await taken;
      try {
        const result = await rotateKek(
          vault.db,
          new LocalKeyFileProvider(vault.config.kekFile),
          new AuditLog(),
        );
        expect(result.rewrapped).toBeGreaterThanOrEqual(1);
        const wrappedWith = await vault.db.selectFrom('dataKeys').select('kekId').distinct().execute();
        expect(wrappedWith.map((r) => r.kekId)).toEqual([result.kek]);
      } finally {
        release();
        await tokenization;
      }
    },
  );
});
