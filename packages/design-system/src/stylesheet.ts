/** The markers around the generated part of styles.css. */
export const TOKENS_START = '/* tokens:start — generated from src/tokens.ts, do not edit by hand */';
export const TOKENS_END = '/* tokens:end */';

/** The text between the markers of `css` (without the markers), or null when they are missing. */
export function tokensBlock(css: string): string | null {
  const start = css.indexOf(TOKENS_START);
  const end = css.indexOf(TOKENS_END);
  if (start < 0 || end < start) return null;
  return css.slice(start + TOKENS_START.length, end).replace(/^\n/, '');
}

/** `css` with the text between the markers replaced by `block`. */
export function replaceTokensBlock(css: string, block: string): string {
  const start = css.indexOf(TOKENS_START);
  const end = css.indexOf(TOKENS_END);
  if (start < 0 || end < start) throw new Error('styles.css has no tokens:start / tokens:end markers');
  return `${css.slice(0, start + TOKENS_START.length)}\n${block}${css.slice(end)}`;
}
