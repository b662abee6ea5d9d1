/**
 * The frame's stylesheet, inlined into each frame page with its hash in `style-src`. Every
 * colour, font and radius is a `--payin-…` custom property the merchant's `appearance` sets
 * from script (CSSOM, which a hash-only `style-src` allows; `style=` attributes it would not).
 * Heights are fixed so that the iframe the parent sized never scrolls or jumps: each field a
 * row (the expiry and the CVC of one frame share one), as `frameHeight` in ../protocol counts.
 */
export const frameCss = `
:root {
  --payin-color-text: #1a1a1a;
  --payin-color-background: #ffffff;
  --payin-color-danger: #b3261e;
  --payin-color-border: #767676;
  --payin-color-focus: #1a56db;
  --payin-color-placeholder: #6b6b6b;
  --payin-font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  --payin-font-size-base: 16px;
  --payin-border-radius: 6px;
}
html, body {
  margin: 0;
  overflow: hidden;
  background: transparent;
  color: var(--payin-color-text);
  font-family: var(--payin-font-family);
  font-size: var(--payin-font-size-base);
}
body {
  display: grid;
  grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);
  column-gap: 12px;
  padding: 3px;
}
.field { grid-column: 1 / -1; min-width: 0; }
.field.half { grid-column: auto; }
label { display: block; height: 18px; margin-bottom: 4px; font-size: 14px; line-height: 18px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.row {
  display: flex;
  align-items: center;
  gap: 8px;
  box-sizing: border-box;
  height: 40px;
  padding: 0 10px;
  border: 1px solid var(--payin-color-border);
  border-radius: var(--payin-border-radius);
  background: var(--payin-color-background);
}
.row:focus-within { outline: 2px solid var(--payin-color-focus); outline-offset: 1px; }
.row.invalid { border-color: var(--payin-color-danger); }
input {
  flex: 1;
  min-width: 0;
  padding: 0;
  border: 0;
  outline: 0;
  background: transparent;
  color: inherit;
  font: inherit;
}
input::placeholder { color: var(--payin-color-placeholder); opacity: 1; }
.brand { font-size: 13px; white-space: nowrap; }
select { max-width: 45%; font: inherit; font-size: 13px; color: inherit; background: var(--payin-color-background); }
.error { height: 18px; margin: 2px 0 0; overflow: hidden; color: var(--payin-color-danger); font-size: 13px; line-height: 18px; }
`;
