import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const configFile = fileURLToPath(new URL('../vite.config.ts', import.meta.url));
let outDir = '';

interface Entry {
  file: string;
  integrity: string;
  bytes: number;
  gzipBytes: number;
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'payin-checkout-'));
  // As `npm run build` does: Vitest sets NODE_ENV=test, which would compile the SFCs for dev.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, mode: 'production', logLevel: 'silent', build: { outDir } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}, 120_000);
afterAll(() => rm(outDir, { recursive: true, force: true }));

describe('payin-checkout.v1 bundle', () => {
  it('is one ES module with Vue inside, no eval or new Function, minified and small', async () => {
    const js = await readFile(join(outDir, 'payin-checkout.v1.js'), 'utf8');
    expect(js).not.toMatch(/\beval\s*\(/);
    expect(js).not.toMatch(/new\s+Function\b/);
    expect(js).not.toMatch(/^\s*import\s/m);
    expect(js).toMatch(/export\s*\{/);
    // The budget of what the checkout page loads before the shopper can pay (Vue included).
    const gzip = gzipSync(js, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(40 * 1024);
    console.info(`payin-checkout.v1.js: ${Buffer.byteLength(js)} B, ${gzip} B gzip`);
  });

  it('has a manifest whose SRI hashes and sizes match the files', async () => {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as Record<
      'script' | 'style',
      Entry
    >;
    expect(Object.keys(manifest).sort()).toEqual(['script', 'style']);
    expect(manifest.script.file).toBe('payin-checkout.v1.js');
    expect(manifest.style.file).toBe('payin-checkout.v1.css');
    for (const entry of Object.values(manifest)) {
      const bytes = await readFile(join(outDir, entry.file));
      expect(entry.integrity).toBe(`sha384-${createHash('sha384').update(bytes).digest('base64')}`);
      expect(entry.bytes).toBe(bytes.length);
      expect(entry.gzipBytes).toBe(gzipSync(bytes, { level: 9 }).length);
    }
  });

  it("carries the design system's stylesheet and the checkout's own, nothing inline", async () => {
    const css = await readFile(join(outDir, 'payin-checkout.v1.css'), 'utf8');
    expect(css).toContain('--payin-card-field-height');
    expect(css).toContain('.payin-button');
    expect(css).toContain('.payin-checkout__fields');
    const js = await readFile(join(outDir, 'payin-checkout.v1.js'), 'utf8');
    expect(js).not.toContain('.payin-button{');
    expect(js).not.toMatch(/createElement\(\s*["'`]style["'`]\s*\)/);
  });
});
