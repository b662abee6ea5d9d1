import { beforeEach, describe, expect, it } from 'vitest';
import { WebhookSigner } from '../../../../apps/emulators/src/truelayer/signing.js';
import type { OpenedConnectorAccount, WebhookDelivery } from '../provider.js';
import { METADATA } from './transformers.js';
import { clearJwksCache, jkuAllowed, readTrueLayerWebhook, truelayerFact } from './webhooks.js';

const SANDBOX_JWKS = 'https://webhooks.truelayer-sandbox.com/.well-known/jwks';
const LIVE_JWKS = 'https://webhooks.truelayer.com/.well-known/jwks';

const account: Pick<OpenedConnectorAccount, 'id' | 'livemode' | 'settings'> = {
  id: 'ca_tl',
  livemode: false,
  settings: { jwks_hosts: 'emulator.test:4100' },
};
const PATH = '/webhooks/truelayer/ca_tl';

/** TrueLayer's key set, served at every allowed URL by a fetch that counts its calls. */
const signer = new WebhookSigner();
let jwksFetches: string[] = [];
const fetchJwks = (async (input: RequestInfo | URL) => {
  jwksFetches.push(String(input));
  return new Response(JSON.stringify(signer.jwks()), { headers: { 'Content-Type': 'application/json' } });
}) as typeof fetch;

const event = {
  type: 'payment_executed',
  event_id: 'b8d4dda0-ff2c-4d77-a6da-4615e4bad941',
  event_version: 1,
  payment_id: 'tl-pay-1',
  payment_method: { type: 'bank_transfer', provider_id: 'mock-fr-banque-atlantique' },
  executed_at: '2026-01-01T00:00:00.000Z',
  metadata: { [METADATA.attempt]: 'att_1', [METADATA.payment]: 'pay_1' },
};

function delivery(
  opts: { body?: string; jku?: string; path?: string; by?: WebhookSigner } = {},
): WebhookDelivery {
  const rawBody = opts.body ?? JSON.stringify(event);
  const timestamp = '2026-01-01T00:00:01Z';
  const signature = (opts.by ?? signer).sign({
    path: opts.path ?? PATH,
    headers: { 'X-TL-Webhook-Timestamp': timestamp },
    body: rawBody,
    jku: opts.jku ?? SANDBOX_JWKS,
  });
  return {
    headers: {
      'content-type': 'application/json',
      'x-tl-webhook-timestamp': timestamp,
      'tl-signature': signature,
    },
    rawBody,
    body: JSON.parse(rawBody),
  };
}

const read = (d: WebhookDelivery, a = account) => readTrueLayerWebhook(a, d, { fetch: fetchJwks });

beforeEach(() => {
  clearJwksCache();
  jwksFetches = [];
});

describe('jkuAllowed', () => {
  it('allows TrueLayer’s JWKS URL of the account’s mode, over https only', () => {
    expect(jkuAllowed(SANDBOX_JWKS, { livemode: false, jwksHosts: [] })).toBe(true);
    expect(jkuAllowed(LIVE_JWKS, { livemode: true, jwksHosts: [] })).toBe(true);
    expect(jkuAllowed(SANDBOX_JWKS.replace('https', 'http'), { livemode: false, jwksHosts: [] })).toBe(false);
  });

  it('refuses the other mode’s keys, another path, and look-alike hosts', () => {
    expect(jkuAllowed(SANDBOX_JWKS, { livemode: true, jwksHosts: [] })).toBe(false);
    expect(jkuAllowed(LIVE_JWKS, { livemode: false, jwksHosts: [] })).toBe(false);
    expect(
      jkuAllowed('https://webhooks.truelayer-sandbox.com/keys', { livemode: false, jwksHosts: [] }),
    ).toBe(false);
    expect(
      jkuAllowed('https://webhooks.truelayer-sandbox.com.evil.example/.well-known/jwks', {
        livemode: false,
        jwksHosts: [],
      }),
    ).toBe(false);
    expect(
      jkuAllowed('https://user@webhooks.truelayer-sandbox.com/.well-known/jwks', {
        livemode: false,
        jwksHosts: [],
      }),
    ).toBe(false);
    expect(jkuAllowed('not a url', { livemode: false, jwksHosts: [] })).toBe(false);
  });

  it('allows the hosts the account names besides, given as hosts or URLs', () => {
    const jku = 'http://localhost:4100/truelayer/api/.well-known/jwks';
    expect(jkuAllowed(jku, { livemode: false, jwksHosts: ['localhost:4100'] })).toBe(true);
    expect(jkuAllowed(jku, { livemode: false, jwksHosts: ['http://localhost:4100'] })).toBe(true);
    expect(jkuAllowed(jku, { livemode: false, jwksHosts: ['localhost:4101'] })).toBe(false);
    expect(jkuAllowed('file:///etc/passwd', { livemode: false, jwksHosts: ['localhost:4100'] })).toBe(false);
  });
});

describe('readTrueLayerWebhook', () => {
  it('accepts a webhook signed by TrueLayer’s published key for payin’s URL, keyed by its event id', async () => {
    const reading = await read(delivery());
    expect(reading).toEqual({ ok: true, notifications: [{ eventKey: event.event_id, payload: event }] });
    expect(jwksFetches).toEqual([SANDBOX_JWKS]);
  });

  it('fetches the keys once for many webhooks', async () => {
    await read(delivery());
    await read(delivery());
    expect(jwksFetches).toHaveLength(1);
  });

  it('refuses a body changed after signing', async () => {
    const forged = delivery({ body: JSON.stringify({ ...event, type: 'payment_settled' }) });
    forged.headers['tl-signature'] = delivery().headers['tl-signature'];
    expect(await read(forged)).toMatchObject({ ok: false, status: 401, code: 'signature_invalid' });
  });

  it('refuses a signature for another URL', async () => {
    expect(await read(delivery({ path: '/webhooks/truelayer/ca_other' }))).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it('refuses a key served off the allow-list, without fetching it', async () => {
    const attacker = new WebhookSigner();
    const reading = await read(delivery({ by: attacker, jku: 'https://evil.example/.well-known/jwks' }));
    expect(reading).toMatchObject({ ok: false, status: 401, code: 'signature_invalid' });
    expect(reading.ok === false && reading.detail).toContain('evil.example');
    expect(jwksFetches).toEqual([]);
  });

  it('refuses a signature by a key TrueLayer does not publish', async () => {
    const reading = await read(delivery({ by: new WebhookSigner() }));
    expect(reading).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses an unsigned delivery and a signature that is not a JWS', async () => {
    const unsigned = delivery();
    delete unsigned.headers['tl-signature'];
    expect(await read(unsigned)).toMatchObject({ ok: false, status: 401, code: 'signature_missing' });
    const garbage = delivery();
    garbage.headers['tl-signature'] = 'not-a-jws';
    expect(await read(garbage)).toMatchObject({ ok: false, status: 401 });
  });

  it('requires the timestamp header among what was signed', async () => {
    const d = delivery();
    const rawBody = d.rawBody;
    const header = {
      alg: 'ES512',
      kid: signer.kid,
      tl_version: '2',
      tl_headers: '',
      jku: SANDBOX_JWKS,
    };
    // A signature over the body alone (no X-TL-Webhook-Timestamp) is refused, valid or not.
    d.headers['tl-signature'] =
      `${Buffer.from(JSON.stringify(header)).toString('base64url')}..${'A'.repeat(176)}`;
    expect(await read({ ...d, rawBody })).toMatchObject({ ok: false, status: 401 });
  });

  it('lets a live account trust TrueLayer’s live keys only, whatever its jwks_hosts say', async () => {
    const live = { ...account, livemode: true };
    expect(await read(delivery({ jku: 'http://emulator.test:4100/jwks' }), live)).toMatchObject({
      ok: false,
    });
    expect(await read(delivery(), live)).toMatchObject({ ok: false });
    expect((await read(delivery({ jku: LIVE_JWKS }), live)).ok).toBe(true);
  });

  it('refuses a signed body that is not a TrueLayer event', async () => {
    expect(await read(delivery({ body: '{"hello":"world"}' }))).toMatchObject({ ok: false, status: 400 });
  });
});

describe('truelayerFact', () => {
  it('reads an executed or settled payment as the authorisation of the attempt its metadata names', () => {
    expect(truelayerFact(event)).toEqual({
      kind: 'authorization',
      attemptId: 'att_1',
      providerReference: 'tl-pay-1',
      succeeded: true,
    });
    expect(truelayerFact({ ...event, type: 'payment_settled' })).toMatchObject({
      kind: 'authorization',
      attemptId: 'att_1',
      succeeded: true,
    });
  });

  it('reads a failed payment with its reason in payin’s codes', () => {
    const failed = (failure_reason: string) =>
      truelayerFact({ ...event, type: 'payment_failed', failure_stage: 'authorizing', failure_reason });
    expect(failed('canceled')).toMatchObject({
      kind: 'authorization',
      attemptId: 'att_1',
      succeeded: false,
      error: { code: 'canceled_by_shopper' },
    });
    expect(failed('expired')).toMatchObject({ error: { code: 'payment_expired' } });
    expect(failed('rejected')).toMatchObject({ error: { code: 'payment_declined' } });
  });

  it('reads refunds as facts about the payin refund their metadata names', () => {
    const refund = {
      event_id: 'e2',
      event_version: 1,
      refund_id: 'tl-ref-1',
      payment_id: 'tl-pay-1',
      metadata: { [METADATA.refund]: 're_1' },
    };
    expect(truelayerFact({ ...refund, type: 'refund_executed', executed_at: 'x' })).toEqual({
      kind: 'refund',
      refundId: 're_1',
      providerReference: 'tl-ref-1',
      succeeded: true,
    });
    expect(
      truelayerFact({ ...refund, type: 'refund_failed', failed_at: 'x', failure_reason: 'rejected' }),
    ).toEqual({
      kind: 'refund',
      refundId: 're_1',
      providerReference: 'tl-ref-1',
      succeeded: false,
      reason: 'rejected',
    });
  });

  it('ignores what payin does not act on, and what payin did not make', () => {
    expect(truelayerFact({ ...event, type: 'payment_authorized' })).toMatchObject({ kind: 'ignored' });
    expect(truelayerFact({ ...event, type: 'mandate_authorized' })).toMatchObject({ kind: 'ignored' });
    expect(truelayerFact({ ...event, metadata: undefined })).toMatchObject({ kind: 'ignored' });
    expect(
      truelayerFact({ type: 'refund_executed', event_id: 'e', refund_id: 'r', payment_id: 'p' }),
    ).toMatchObject({ kind: 'ignored' });
  });

  it('cannot read what is not an event', () => {
    expect(truelayerFact(null)).toBe(undefined);
    expect(truelayerFact({ type: 'payment_executed' })).toBe(undefined);
    expect(truelayerFact({ ...event, payment_id: undefined })).toBe(undefined);
  });
});
