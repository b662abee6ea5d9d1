import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
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

interface Manifest {
  script: Entry;
  style: Entry;
  chunks: Entry[];
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
  it('is an ES module with Vue inside, no eval or new Function, minified and small', async () => {
    const js = await readFile(join(outDir, 'payin-checkout.v1.js'), 'utf8');
    expect(js).not.toMatch(/\beval\s*\(/);
    expect(js).not.toMatch(/new\s+Function\b/);
    // Nothing imported before it runs: the methods' chunk only when the shopper needs it.
    expect(js).not.toMatch(/(^|[;}])\s*import\s*[{*"'`\w]/m);
    expect(js).toMatch(/export\s*\{/);
    // The budget of what the checkout page loads before the shopper can pay (Vue included).
    const gzip = gzipSync(js, { level: 9 }).length;
    expect(gzip).toBeLessThanOrEqual(40 * 1024);
    console.info(`payin-checkout.v1.js: ${Buffer.byteLength(js)} B, ${gzip} B gzip`);
  });

  it("loads the other methods' panels from a chunk of their own, beside it, with their strings", async () => {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest.chunks.map((c) => c.file)).toEqual([
      expect.stringMatching(/^payin-checkout\.v1-methods-[\w-]+\.js$/),
    ]);
    const chunkFile = manifest.chunks[0]?.file as string;
    const js = await readFile(join(outDir, 'payin-checkout.v1.js'), 'utf8');
    const chunk = await readFile(join(outDir, chunkFile), 'utf8');
    // A relative dynamic import: the page serves the chunk from where it serves the entry.
    expect(js).toContain(`import(\`./${chunkFile}\`)`);
    // The chunk takes Vue and the rest from the entry itself: no third file.
    const imported = [...chunk.matchAll(/from\s*["'`]([^"'`]+)["'`]/g)].map((m) => m[1]);
    expect(new Set(imported)).toEqual(new Set(['./payin-checkout.v1.js']));
    expect(chunk).not.toMatch(/\beval\s*\(|new\s+Function\b/);
    // The panels' words are in the chunk, not in the card form's download.
    for (const words of [
      'Continue with PayPal',
      'コンビニで支払う',
      'Payment number',
      'Numéro de paiement',
    ]) {
      expect(chunk).toContain(words);
      expect(js).not.toContain(words);
    }
    // The method list's names stay in the entry: the list shows them at once.
    expect(js).toContain('コンビニ払い');
    console.info(
      `${chunkFile}: ${Buffer.byteLength(chunk)} B, ${gzipSync(chunk, { level: 9 }).length} B gzip`,
    );
  });

  it('has a manifest whose SRI hashes and sizes match the files', async () => {
    const manifest = JSON.parse(await readFile(join(outDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(Object.keys(manifest).sort()).toEqual(['chunks', 'script', 'style']);
    expect(manifest.script.file).toBe('payin-checkout.v1.js');
    expect(manifest.style.file).toBe('payin-checkout.v1.css');
    const written = (await readdir(outDir)).filter((f) => f.endsWith('.js')).sort();
    expect([manifest.script, ...manifest.chunks].map((e) => e.file).sort()).toEqual(written);
    for (const entry of [manifest.script, manifest.style, ...manifest.chunks]) {
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
