/**
 * Rewrites the generated `:root { … }` block of styles.css from src/tokens.ts:
 * `npm run -w @payin/design-system tokens`. `--check` exits 1 instead when the file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { replaceTokensBlock } from '../src/stylesheet.js';
import { tokensCss } from '../src/tokens.js';

const file = fileURLToPath(new URL('../styles.css', import.meta.url));
const current = readFileSync(file, 'utf8');
const next = replaceTokensBlock(current, tokensCss());
if (process.argv.includes('--check')) {
  if (next !== current) {
    console.error('styles.css is out of date: run npm run -w @payin/design-system tokens');
    process.exit(1);
  }
} else if (next !== current) {
  writeFileSync(file, next);
  console.log('styles.css: tokens updated');
} else {
  console.log('styles.css: tokens already up to date');
}
