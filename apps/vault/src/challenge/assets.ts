import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { buildOnce, bundleForBrowser, cspHashSource } from '../browser-build/index.js';

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

/**
 * Builds the two page scripts in memory with esbuild from `browser/`, as the hosted fields do
 * theirs. A bundled vault no longer sits beside its sources: it passes `sourceDir`, the folder
 * holding `browser/` and `protocol.ts`.
 */
export function loadChallengeAssets(sourceDir?: string): Promise<ChallengeAssets> {
  return buildChallengeAssets(sourceDir ?? fileURLToPath(new URL('.', import.meta.url)));
}

const buildChallengeAssets = buildOnce(buildAssets);

async function buildAssets(dir: string): Promise<ChallengeAssets> {
  const container = join(dir, 'browser/container.ts');
  const complete = join(dir, 'browser/complete.ts');
  if (!existsSync(container) || !existsSync(complete)) {
    throw new Error(`challenge: sources not found in ${dir} (pass sourceDir to loadChallengeAssets)`);
  }
  const [containerScript, completeScript, minified] = await Promise.all([
    bundleForBrowser(container, 'challenge'),
    bundleForBrowser(complete, 'challenge'),
    transform(css, { loader: 'css', minify: true }),
  ]);
  const style = minified.code.trim();
  return {
    containerScript,
    containerScriptSource: cspHashSource(containerScript),
    completeScript,
    completeScriptSource: cspHashSource(completeScript),
    style,
    styleSource: cspHashSource(style),
  };
}
