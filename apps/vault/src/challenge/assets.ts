import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform } from 'esbuild';

/** The challenge pages' inline scripts and stylesheet, with the `'sha256-…'` sources pinning them. */
export interface ChallengeAssets {
  containerScript: string;
  containerScriptSource: string;
  completeScript: string;
  completeScriptSource: string;
  style: string;
  styleSource: string;
}

/** Both pages fill their frame; the container's iframe fills it too. No inline `style` attribute. */
const css = `
html, body { margin: 0; height: 100%; }
body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; }
iframe { display: block; border: 0; width: 100%; height: 100%; }
p { margin: 0; padding: 1rem; text-align: center; }
`;

const sourceOf = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

async function script(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text.trim();
  if (!text) throw new Error(`challenge: esbuild produced nothing for ${entry}`);
  // Inlined: a `</script` inside would end the element early.
  if (/<\/script/i.test(text)) throw new Error(`challenge: ${entry} contains "</script"`);
  return text;
}

const cache = new Map<string, Promise<ChallengeAssets>>();

/**
 * Builds the two page scripts in memory with esbuild from `browser/`, as the hosted fields do
 * theirs. A bundled vault no longer sits beside its sources: it passes `sourceDir`, the folder
 * holding `browser/` and `protocol.ts`.
 */
export function loadChallengeAssets(sourceDir?: string): Promise<ChallengeAssets> {
  const dir = sourceDir ?? fileURLToPath(new URL('.', import.meta.url));
  let assets = cache.get(dir);
  if (!assets) {
    assets = buildAssets(dir);
    cache.set(dir, assets);
    assets.catch(() => cache.delete(dir));
  }
  return assets;
}

async function buildAssets(dir: string): Promise<ChallengeAssets> {
  const container = join(dir, 'browser/container.ts');
  const complete = join(dir, 'browser/complete.ts');
  if (!existsSync(container) || !existsSync(complete)) {
    throw new Error(`challenge: sources not found in ${dir} (pass sourceDir to loadChallengeAssets)`);
  }
  const [containerScript, completeScript, minified] = await Promise.all([
    script(container),
    script(complete),
    transform(css, { loader: 'css', minify: true }),
  ]);
  const style = minified.code.trim();
  return {
    containerScript,
    containerScriptSource: sourceOf(containerScript),
    completeScript,
    completeScriptSource: sourceOf(completeScript),
    style,
    styleSource: sourceOf(style),
  };
}
