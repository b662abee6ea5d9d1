import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkWebhookUrl, type HostResolver, postWebhook, resolveWebhookTarget } from '@payin/jobs';
import { describe, expect, it } from 'vitest';

const live = { livemode: true };
const test = { livemode: false };

function resolverOf(table: Record<string, string[]>): HostResolver {
  return async (host) => {
    const addresses = table[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

describe('checkWebhookUrl in live mode', () => {
  it.each([
    ['https://10.0.0.1/hooks', 'private network'],
    ['https://192.168.1.20/hooks', 'private network'],
    ['https://127.0.0.1/hooks', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[::1]/hooks', 'loopback'],
    ['https://[fc00::1]/hooks', 'unique local'],
    ['https://100.64.0.1/hooks', 'carrier-grade NAT'],
    ['https://0.0.0.0/hooks', 'unspecified'],
    ['https://224.0.0.1/hooks', 'multicast'],
    ['https://[::ffff:10.0.0.1]/hooks', 'private network'],
    ['https://2130706433/hooks', 'loopback'],
  ])('refuses %s (%s)', async (url, why) => {
    const result = await checkWebhookUrl(url, live);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(why);
  });

  it('refuses plain http', async () => {
    expect(await checkWebhookUrl('http://93.184.216.34/hooks', live)).toEqual({
      ok: false,
      reason: 'Live mode webhook URLs must use https.',
    });
  });

  it('refuses credentials in the URL', async () => {
    const result = await checkWebhookUrl('https://user:pass@93.184.216.34/hooks', live);
    expect(result).toEqual({ ok: false, reason: 'Webhook URLs must not contain a user name or password.' });
  });

  it('accepts a public IP address', async () => {
    expect(await checkWebhookUrl('https://93.184.216.34/hooks', live)).toEqual({ ok: true });
    expect(await checkWebhookUrl('https://[2606:2800:220:1:248:1893:25c8:1946]/hooks', live)).toEqual({
      ok: true,
    });
  });

  it('accepts a host name that resolves only to public addresses', async () => {
    const resolve = resolverOf({
      'hooks.shop.example': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
    });
    expect(await checkWebhookUrl('https://hooks.shop.example/payin', { ...live, resolve })).toEqual({
      ok: true,
    });
  });

  it('refuses a host name with any private address among its answers', async () => {
    const resolve = resolverOf({ 'hooks.shop.example': ['93.184.216.34', '10.0.0.7'] });
    const result = await checkWebhookUrl('https://hooks.shop.example/payin', { ...live, resolve });
    expect(result).toEqual({
      ok: false,
      reason:
        'hooks.shop.example resolves to 10.0.0.7, which is a private network address; live mode webhooks must go to a public address.',
    });
  });

  it('refuses localhost', async () => {
    const resolve = resolverOf({ localhost: ['127.0.0.1', '::1'] });
    const result = await checkWebhookUrl('https://localhost:8443/hooks', { ...live, resolve });
    expect(result.ok).toBe(false);
  });

  it('refuses a host name that does not resolve', async () => {
    const result = await checkWebhookUrl('https://nowhere.shop.example/payin', {
      ...live,
      resolve: resolverOf({}),
    });
    expect(result).toEqual({ ok: false, reason: 'The host nowhere.shop.example could not be resolved.' });
  });

  it('gives the checked address to the delivery so that it connects there', async () => {
    const resolve = resolverOf({ 'hooks.shop.example': ['93.184.216.34'] });
    expect(await resolveWebhookTarget('https://hooks.shop.example/payin', { ...live, resolve })).toEqual({
      ok: true,
      address: { address: '93.184.216.34', family: 4 },
    });
  });
});

describe('checkWebhookUrl in test mode', () => {
  it.each([
    'http://localhost:3000/webhooks',
    'http://127.0.0.1:4242/hooks',
    'https://10.0.0.1/hooks',
    'http://[::1]:8080/',
  ])('accepts %s', async (url) => {
    expect(await checkWebhookUrl(url, test)).toEqual({ ok: true });
  });

  it('never resolves host names', async () => {
    const resolve: HostResolver = () => Promise.reject(new Error('DNS must not be used in test mode'));
    expect(await resolveWebhookTarget('http://hooks.shop.example/', { ...test, resolve })).toEqual({
      ok: true,
      address: null,
    });
  });
});

describe('checkWebhookUrl in both modes', () => {
  it.each([
    ['ftp://93.184.216.34/hooks', 'Webhook URLs must use https (or http in test mode).'],
    ['file:///etc/passwd', 'Webhook URLs must use https (or http in test mode).'],
    ['not a url', 'The URL is not valid.'],
  ])('refuses %s', async (url, reason) => {
    expect(await checkWebhookUrl(url, live)).toEqual({ ok: false, reason });
    expect(await checkWebhookUrl(url, test)).toEqual({ ok: false, reason });
  });
});

describe('postWebhook with a pinned address', () => {
  it('connects to the pinned address whatever the host name resolves to', async () => {
    const hosts: (string | undefined)[] = [];
    const server = createServer((req, res) => {
      hosts.push(req.headers.host);
      res.end('pinned');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // .invalid never resolves (RFC 2606): only the pin can take the request to the server.
      const response = await postWebhook({
        url: `http://payin-pinned.invalid:${port}/hooks`,
        body: '{}',
        headers: { 'content-type': 'application/json' },
        pinnedAddress: { address: '127.0.0.1', family: 4 },
      });
      expect(response).toEqual({ statusCode: 200, body: 'pinned' });
      expect(hosts).toEqual([`payin-pinned.invalid:${port}`]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
