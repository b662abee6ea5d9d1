/**
 * The checkout for pages that are not Vue apps: `src/loader.ts` built with Vue bundled in, as
 * `dist/payin-checkout.v1.js` (an ES module, minified), `dist/payin-checkout.v1.css` (the design
 * system's stylesheet and the checkout's own) and `dist/manifest.json` with the SRI hash and the
 * gzip size of each, for `<script type="module" integrity="sha384-…">` and `<link integrity>`.
 *
 *   npm run -w @payin/checkout build
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import vue from '@vitejs/plugin-vue';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
export const bundleName = 'payin-checkout.v1';

export interface ManifestEntry {
  file: string;
  integrity: `sha384-${string}`;
  bytes: number;
  gzipBytes: number;
}

export interface CheckoutManifest {
  script: ManifestEntry;
  style: ManifestEntry;
  /** Loaded by the script with `import()` when needed, from beside it. */
  chunks: ManifestEntry[];
}

/**
 * Writes manifest.json beside the bundle from the bytes as written: the entry (`script`), the
 * stylesheet (`style`) and the chunks the entry imports when the shopper needs them (`chunks`:
 * the other methods' panels), each with its SRI hash, so a page pins those too.
 */
function manifest(): Plugin {
  let outDir = '';
  return {
    name: 'payin-checkout-manifest',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async writeBundle(_options, bundle) {
      const entryOf = async (file: string): Promise<ManifestEntry> => {
        const bytes = await readFile(join(outDir, file));
        return {
          file,
          integrity: `sha384-${createHash('sha384').update(bytes).digest('base64')}`,
          bytes: bytes.length,
          gzipBytes: gzipSync(bytes, { level: 9 }).length,
        };
      };
      const chunks = Object.values(bundle)
        .filter((output) => output.type === 'chunk' && !output.isEntry)
        .map((output) => output.fileName)
        .sort();
      const manifest: CheckoutManifest = {
        script: await entryOf(`${bundleName}.js`),
        style: await entryOf(`${bundleName}.css`),
        chunks: await Promise.all(chunks.map(entryOf)),
      };
      await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    },
  };
}

export default defineConfig({
  root,
  plugins: [vue({ features: { optionsAPI: false, prodDevtools: false } }), manifest()],
  define: {
    'process.env.NODE_ENV': JSON.stringify('production'),
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    minify: true,
    cssCodeSplit: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      // The entry may export more than loader.ts does: what the methods' chunk takes from it
      // (Vue, the design system), so that nothing is shared through a third file.
      preserveEntrySignatures: 'allow-extension',
      output: {
        // payin-checkout.v1-methods-<hash>.js: a new name for new content, the entry's name kept.
        chunkFileNames: `${bundleName}-[name]-[hash].js`,
        // Library mode keeps whitespace in ES output for a later bundler; this file is served as is.
        minify: true,
        comments: false,
        // V8's explicit compile hint (Chromium 136+; a comment elsewhere): nearly all of this file
        // runs as the checkout renders, so V8 compiles it while streaming the download, off the
        // main thread, instead of function by function inside the first render's task.
        postBanner: '//# allFunctionsCalledOnLoad',
      },
    },
    lib: {
      entry: resolve(root, 'src/loader.ts'),
      formats: ['es'],
      fileName: () => `${bundleName}.js`,
      cssFileName: bundleName,
    },
  },
});
