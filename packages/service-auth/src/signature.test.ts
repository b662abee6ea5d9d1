import { describe, expect, it } from 'vitest';
import { NonceMemory, signServiceRequest, verifyServiceRequest } from './signature.js';

const secret = 's'.repeat(40);
const request = { method: 'POST', path: '/v1/proxy', body: '{"a":1}' };

describe('service request signatures', () => {
  it('accepts a request signed with the shared secret and names the caller', () => {
    const header = signServiceRequest(secret, 'api', request);
    expect(verifyServiceRequest(secret, header, request)).toMatchObject({ ok: true, caller: 'api' });
  });

  it('refuses another secret, another body, another path or another method', () => {
    const header = signServiceRequest(secret, 'api', request);
    expect(verifyServiceRequest('x'.repeat(40), header, request).ok).toBe(false);
    expect(verifyServiceRequest(secret, header, { ...request, body: '{"a":2}' }).ok).toBe(false);
    expect(verifyServiceRequest(secret, header, { ...request, path: '/v1/tokens' }).ok).toBe(false);
    expect(verifyServiceRequest(secret, header, { ...request, method: 'GET' }).ok).toBe(false);
  });

  it('refuses a caller name swapped after signing', () => {
    const header = signServiceRequest(secret, 'api', request).replace('s=api', 's=vault');
    expect(verifyServiceRequest(secret, header, request).ok).toBe(false);
  });

  it('refuses a signature older than five minutes, or from the future', () => {
    const now = Date.now();
    const header = signServiceRequest(secret, 'api', request, now - 301_000);
    expect(verifyServiceRequest(secret, header, request, now)).toEqual({
      ok: false,
      reason: 'signature timestamp out of tolerance',
    });
    expect(
      verifyServiceRequest(secret, signServiceRequest(secret, 'api', request, now + 301_000), request, now)
        .ok,
    ).toBe(false);
  });

  it('refuses missing and malformed headers', () => {
    expect(verifyServiceRequest(secret, undefined, request).ok).toBe(false);
    expect(verifyServiceRequest(secret, 't=1', request).ok).toBe(false);
    expect(verifyServiceRequest(secret, 't=x,n=a,s=api,v1=zz', request).ok).toBe(false);
  });

  it('remembers a nonce once', () => {
    const nonces = new NonceMemory();
    expect(nonces.remember('abc')).toBe(true);
    expect(nonces.remember('abc')).toBe(false);
  });

  it('forgets nonces once their signatures could no longer be accepted, keeping memory bounded', () => {
    const nonces = new NonceMemory();
    const start = 1_000_000_000;
    for (let i = 0; i < 1_000; i++) nonces.remember(`n${i}`, start + i);
    // Ten minutes on, every earlier nonce is past any signature's tolerance.
    nonces.remember('late', start + 601_000 + 1_000);
    expect(nonces.size).toBe(1);
    expect(nonces.remember('n5', start + 601_000 + 1_000)).toBe(true);
  });
});
