import { createHash } from 'node:crypto';
import { build } from 'esbuild';

/**
 * The vault's browser code (the hosted fields, the 3-D Secure pages) is built in memory at
 * start-up with esbuild from the TypeScript beside it, then inlined in pages or served as is,
 * pinned by hashes. These are the steps both share.
 */

/** One entry bundled for browsers: minified ES2020, an IIFE (with `globalName`, a global). */
export async function bundleForBrowser(entry: string, label: string, globalName?: string): Promise<string> {
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
    ...(globalName ? { globalName } : {}),
  });
  const text = result.outputFiles[0]?.text.trim();
  if (!text) throw new Error(`${label}: esbuild produced nothing for ${entry}`);
  // Inlined scripts: a `</script` inside one would end the element early.
  if (/<\/script/i.test(text)) throw new Error(`${label}: ${entry} contains "</script"`);
  return text;
}

/** A CSP source pinning an inline script or stylesheet: `'sha256-…'`. */
export const cspHashSource = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * One build per source folder for the process's life; a failed build is forgotten, so the next
 * caller tries again.
 */
export function buildOnce<T>(build: (dir: string) => Promise<T>): (dir: string) => Promise<T> {
  const cache = new Map<string, Promise<T>>();
  return (dir) => {
    let built = cache.get(dir);
    if (!built) {
      built = build(dir);
      cache.set(dir, built);
      built.catch(() => cache.delete(dir));
    }
    return built;
  };
}
