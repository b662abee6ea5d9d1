import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serviceSecret } from './secret.js';

const dir = mkdtempSync(join(tmpdir(), 'payin-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the service secret', () => {
  it('is made once on the embedded platform and found again by the next process', () => {
    const first = serviceSecret({}, dir, true);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(serviceSecret({}, dir, true)).toBe(first);
    expect(statSync(join(dir, 'service-secret')).mode & 0o077).toBe(0);
  });

  it('must be configured when a database server is, and long enough', () => {
    expect(() => serviceSecret({}, join(dir, 'other'), false)).toThrow(/PAYIN_SERVICE_SECRET must be set/);
    expect(serviceSecret({ PAYIN_SERVICE_SECRET: 'x'.repeat(32) }, dir, false)).toBe('x'.repeat(32));
    expect(() => serviceSecret({ PAYIN_SERVICE_SECRET: 'short' }, dir, true)).toThrow(/at least 32/);
  });
});
