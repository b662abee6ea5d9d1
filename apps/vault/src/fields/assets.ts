import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { buildOnce, bundleForBrowser, cspHashSource } from '../browser-build/index.js';
import { frameCss } from './frame/style.js';

/** The browser code of the hosted fields, built once at start-up, with the hashes that pin it. */
export interface FieldAssets {
  /** The frame page's inline script, and its `'sha256-…'` source for `script-src`. */
  frameScript: string;
  frameScriptSource: string;
  /** The frame page's inline stylesheet, and its `'sha256-…'` source for `style-src`. */
  frameStyle: string;
  frameStyleSource: string;
  /** payin-fields.js, the merchant page's library (global `PayinFields`). */
  parentScript: string;
  /** Subresource Integrity of payin-fields.js (`sha384-…`), for merchants to pin it. */
  parentIntegrity: string;
  /** Hex digest naming this build of payin-fields.js (ETag, versioned URL). */
  parentVersion: string;
}

const digest = (algorithm: 'sha256' | 'sha384', text: string, encoding: 'base64' | 'hex') =>
  createHash(algorithm).update(text, 'utf8').digest(encoding);

/**
 * Builds the frame script and payin-fields.js in memory with esbuild (minified, ES2020) from
 * the TypeScript sources beside this file. A bundled vault no longer sits beside them: it
 * passes `sourceDir`, the folder holding `frame/` and `parent/` (with `../cards` next to it).
 */
export function loadFieldAssets(sourceDir?: string): Promise<FieldAssets> {
  return buildFieldAssets(sourceDir ?? fileURLToPath(new URL('.', import.meta.url)));
}

const buildFieldAssets = buildOnce(buildAssets);

async function buildAssets(dir: string): Promise<FieldAssets> {
  const frameEntry = join(dir, 'frame/main.ts');
  const parentEntry = join(dir, 'parent/index.ts');
  if (!existsSync(frameEntry) || !existsSync(parentEntry)) {
    throw new Error(`hosted fields: sources not found in ${dir} (pass sourceDir to loadFieldAssets)`);
  }
  const [frameScript, parentScript, style] = await Promise.all([
    bundleForBrowser(frameEntry, 'hosted fields'),
    bundleForBrowser(parentEntry, 'hosted fields', 'PayinFields'),
    transform(frameCss, { loader: 'css', minify: true }),
  ]);
  const frameStyle = style.code.trim();
  return {
    frameScript,
    frameScriptSource: cspHashSource(frameScript),
    frameStyle,
    frameStyleSource: cspHashSource(frameStyle),
    parentScript,
    parentIntegrity: `sha384-${digest('sha384', parentScript, 'base64')}`,
    parentVersion: digest('sha256', parentScript, 'hex').slice(0, 16),
  };
}
