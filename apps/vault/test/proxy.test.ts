import { signServiceRequest } from '@payin/service-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchants, SERVICE_SECRET, startEchoHost, startTestVault, visa } from './harness.js';

let vault: Awaited<ReturnType<typeof startTestVault>>;
let provider: Awaited<ReturnType<typeof startEchoHost>>;
let offList: Awaited<ReturnType<typeof startEchoHost>>;
beforeAll(async () => {
  provider = await startEchoHost((request, body) => {
    if (request.url === '/slow') return { body: '{}', delayMs: 3_000 };
    if (request.url === '/echo-card')
      return { body: JSON.stringify({ received: JSON.parse(body), note: 'card 4242424242424242' }) };
    return { status: 200, body: JSON.stringify({ pspReference: 'PSP1', resultCode: 'Authorised' }) };
  });
  offList = await startEchoHost();
  vault = await startTestVault({ proxyAllowlist: [provider.url], proxyTimeoutMs: 1_000 }, merchants);
});
afterAll(async () => {
  await vault.stop();
  await provider.close();
  await offList.close();
});

function proxy(request: Record<string, unknown>, merchant = 'mer_A') {
  return vault.service.request<any>('POST', '/v1/proxy', {
    merchant,
    livemode: false,
    request: { method: 'POST', headers: { 'content-type': 'application/json' }, ...request },
  });
}

const adyenBody = (token: string) =>
  JSON.stringify({
    amount: { value: 1999, currency: 'EUR' },
    paymentMethod: {
      type: 'scheme',
      number: `{{${token}.number}}`,
      expiryMonth: `{{${token}.exp_month}}`,
      expiryYear: `{{${token}.exp_year}}`,
      cvc: `{{${token}.cvc}}`,
      holderName: `{{${token}.holder_name}}`,
    },
  });

describe('POST /v1/proxy', () => {
  it('sends the provider request with the card filled in, and answers the provider response', async () => {
    const { body: token } = await vault.tokenize({ ...visa, holder_name: 'Ada "the first" Lovelace' });
    const answer = await proxy({ url: `${provider.url}/v71/payments`, body: adyenBody(token.id) });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe(200);
    expect(JSON.parse(answer.body.body)).toEqual({ pspReference: 'PSP1', resultCode: 'Authorised' });
    const sent = JSON.parse(provider.received.at(-1)?.body ?? '{}');
    expect(sent.paymentMethod).toEqual({
      type: 'scheme',
      number: '4242424242424242',
      expiryMonth: '12',
      expiryYear: '2034',
      cvc: '123',
      holderName: 'Ada "the first" Lovelace',
    });
  });

  it('uses the CVC once: a second request for it is refused and nothing is sent', async () => {
    const { body: token } = await vault.tokenize(visa);
    expect(
      (await proxy({ url: `${provider.url}/v71/payments`, body: adyenBody(token.id) })).body.status,
    ).toBe(200);
    const count = provider.received.length;
    const again = await proxy({ url: `${provider.url}/v71/payments`, body: adyenBody(token.id) });
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('placeholder_unavailable');
    expect(provider.received.length).toBe(count);
    // The number stays usable without the CVC (a merchant-initiated retry, say).
    const noCvc = await proxy({
      url: `${provider.url}/v71/payments`,
      body: JSON.stringify({ number: `{{${token.id}.number}}` }),
    });
    expect(noCvc.body.status).toBe(200);
  });

  it('masks card numbers the provider echoes back', async () => {
    const { body: token } = await vault.tokenize(visa);
    const answer = await proxy({ url: `${provider.url}/echo-card`, body: adyenBody(token.id) });
    expect(answer.body.body).not.toContain('4242424242424242');
    expect(answer.body.body).toContain('••••4242');
    expect(answer.body.body).not.toMatch(/"cvc":"123"/);
  });

  it('refuses a host off the allowlist without sending anything', async () => {
    const { body: token } = await vault.tokenize(visa);
    const answer = await proxy({ url: `${offList.url}/steal`, body: adyenBody(token.id) });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('host_not_allowed');
    expect(offList.received).toHaveLength(0);
    // The CVC was not spent by the refused request.
    expect(
      (await proxy({ url: `${provider.url}/v71/payments`, body: adyenBody(token.id) })).body.status,
    ).toBe(200);
  });

  it('refuses card placeholders in the URL, unknown fields, unknown and foreign tokens', async () => {
    const { body: token } = await vault.tokenize(visa);
    expect(
      (await proxy({ url: `${provider.url}/pay?pan={{${token.id}.number}}`, body: '{}' })).body.error.code,
    ).toBe('placeholder_in_url');
    expect(
      (await proxy({ url: `${provider.url}/pay`, body: `{"x":"{{${token.id}.pin}}"}` })).body.error.code,
    ).toBe('placeholder_unavailable');
    expect((await proxy({ url: `${provider.url}/pay`, body: '{"x":"{{tok_unknown.number}}"}' })).status).toBe(
      404,
    );
    expect(
      (await proxy({ url: `${provider.url}/pay`, body: `{"x":"{{${token.id}.number}}"}` }, 'mer_B')).status,
    ).toBe(404);
  });

  it('forwards a URL with a malformed %-escape instead of failing on it', async () => {
    const { body: token } = await vault.tokenize(visa);
    const answer = await proxy({ url: `${provider.url}/pay?q=%zz`, body: `{"n":"{{${token.id}.number}}"}` });
    expect(answer.status).toBe(200);
    expect(answer.body.status).toBe(200);
  });

  it('refuses a holder-name placeholder for a token without one', async () => {
    const { holder_name: _, ...noName } = visa;
    const { body: token } = await vault.tokenize(noName);
    const answer = await proxy({ url: `${provider.url}/pay`, body: `{"n":"{{${token.id}.holder_name}}"}` });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('placeholder_unavailable');
  });

  it('keeps the CVC when a request is refused for another field, so that its retry has it', async () => {
    const { holder_name: _, ...noName } = visa;
    const { body: token } = await vault.tokenize(noName);
    const count = provider.received.length;
    const refused = await proxy({ url: `${provider.url}/v71/payments`, body: adyenBody(token.id) });
    expect(refused.body.error.code).toBe('placeholder_unavailable');
    expect(refused.body.error.message).toContain('.holder_name}}');
    expect(provider.received.length).toBe(count);
    const retry = await proxy({
      url: `${provider.url}/v71/payments`,
      body: JSON.stringify({ number: `{{${token.id}.number}}`, cvc: `{{${token.id}.cvc}}` }),
    });
    expect(retry.body.status).toBe(200);
    expect(JSON.parse(provider.received.at(-1)?.body ?? '{}').cvc).toBe('123');
  });

  it('leaves out an optional field the token lacks, in the one request, and fills it when present', async () => {
    const { holder_name: _, ...noName } = visa;
    const { body: bare } = await vault.tokenize(noName);
    const optionalBody = (token: string) =>
      JSON.stringify({
        reference: 'att_1',
        paymentMethod: {
          type: 'scheme',
          number: `{{${token}.number}}`,
          cvc: `{{${token}.cvc?}}`,
          holderName: `{{${token}.holder_name?}}`,
        },
        shopperStatement: `card {{${token}.holder_name?}}`,
      });
    const first = await proxy({ url: `${provider.url}/v71/payments`, body: optionalBody(bare.id) });
    expect(first.body.status).toBe(200);
    expect(JSON.parse(provider.received.at(-1)?.body ?? '{}')).toEqual({
      reference: 'att_1',
      paymentMethod: { type: 'scheme', number: '4242424242424242', cvc: '123' },
      shopperStatement: 'card ',
    });
    // The CVC served once: the next request goes without it instead of being refused.
    const second = await proxy({ url: `${provider.url}/v71/payments`, body: optionalBody(bare.id) });
    expect(second.body.status).toBe(200);
    expect(JSON.parse(provider.received.at(-1)?.body ?? '{}').paymentMethod).toEqual({
      type: 'scheme',
      number: '4242424242424242',
    });

    const { body: named } = await vault.tokenize({ ...visa, holder_name: 'Ada Lovelace' });
    await proxy({ url: `${provider.url}/v71/payments`, body: optionalBody(named.id) });
    expect(JSON.parse(provider.received.at(-1)?.body ?? '{}').paymentMethod).toEqual({
      type: 'scheme',
      number: '4242424242424242',
      cvc: '123',
      holderName: 'Ada Lovelace',
    });
  });

  it('answers 504 when the provider does not answer in time (the outcome is unknown)', async () => {
    const { body: token } = await vault.tokenize(visa);
    const answer = await proxy({ url: `${provider.url}/slow`, body: adyenBody(token.id) });
    expect(answer.status).toBe(504);
    expect(answer.body.error).toMatchObject({ type: 'api_error', code: 'upstream_timeout' });
  });

  it('answers 502 when the provider cannot be reached (nothing was sent)', async () => {
    const closed = await startEchoHost();
    await closed.close();
    const down = await startTestVault({ proxyAllowlist: [closed.url] }, merchants);
    try {
      const { body: token } = await down.tokenize(visa);
      const answer = await down.service.request<any>('POST', '/v1/proxy', {
        merchant: 'mer_A',
        livemode: false,
        request: { url: `${closed.url}/pay`, method: 'POST', headers: {}, body: `{{${token.id}.number}}` },
      });
      expect(answer.status).toBe(502);
      expect(answer.body.error.code).toBe('upstream_unreachable');
    } finally {
      await down.stop();
    }
  });

  it('is refused to anything but a signed service call, and a replayed signature is refused', async () => {
    const unsigned = await fetch(`${vault.url}/v1/proxy`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        merchant: 'mer_A',
        livemode: false,
        request: { url: provider.url, method: 'POST', headers: {} },
      }),
    });
    expect(unsigned.status).toBe(401);

    const body = JSON.stringify({
      merchant: 'mer_A',
      livemode: false,
      request: { url: `${provider.url}/ok`, method: 'GET', headers: {} },
    });
    const signature = signServiceRequest(SERVICE_SECRET, 'api', { method: 'POST', path: '/v1/proxy', body });
    const send = () =>
      fetch(`${vault.url}/v1/proxy`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'payin-service-signature': signature },
        body,
      });
    expect((await send()).status).toBe(200);
    const replay = await send();
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as any).error.message).toContain('already used');
  });

  it('writes an audit event for every proxy use, with no card data', async () => {
    const { body: token } = await vault.tokenize(visa);
    await proxy({ url: `${provider.url}/v71/payments`, body: adyenBody(token.id) });
    const audit = await vault.service.request<any>('GET', `/v1/audit_events?token=${token.id}`);
    expect(audit.status).toBe(200);
    const actions = audit.body.data.map((e: any) => e.action);
    expect(actions).toEqual(['proxy.forwarded', 'token.created']);
    expect(audit.body.data[0]).toMatchObject({ actor: 'service:api', outcome: '200', merchant: 'mer_A' });
    expect(JSON.stringify(audit.body)).not.toMatch(/4242424242424242|"123"/);
  });
});
