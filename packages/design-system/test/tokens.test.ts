import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Appearance } from '../../../apps/vault/src/fields/protocol.js';
import { appearanceKeys } from '../../../apps/vault/src/fields/protocol.js';
import { contrastRatio } from '../src/contrast.js';
import { replaceTokensBlock, tokensBlock } from '../src/stylesheet.js';
import {
  cssVariables,
  type FieldsAppearance,
  fieldsAppearance,
  type Tokens,
  tokens,
  tokensCss,
} from '../src/tokens.js';

const stylesheet = readFileSync(fileURLToPath(new URL('../styles.css', import.meta.url)), 'utf8');
const px = (value: string): number => {
  const match = /^(-?\d+(?:\.\d+)?)px$/.exec(value);
  if (!match?.[1]) throw new Error(`not a px length: ${value}`);
  return Number(match[1]);
};

describe('contrast (WCAG 2.2)', () => {
  it('computes the reference ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#ffffff')).toBe(1);
    // #767676 on white is the well-known 4.54:1 grey.
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(() => contrastRatio('red', '#fff')).toThrow();
  });

  const c = tokens.color;
  // [foreground, background, minimum, what]: text 4.5:1 (1.4.3), UI components and focus 3:1 (1.4.11).
  const pairs: [string, string, number, string][] = [
    [c.text, c.surface, 4.5, 'text on surface'],
    [c.textMuted, c.surface, 4.5, 'muted text (hints, descriptions) on surface'],
    [c.placeholder, c.surface, 4.5, 'placeholder on surface'],
    [c.onPrimary, c.primary, 4.5, 'primary button label'],
    [c.danger, c.surface, 4.5, 'error text on surface'],
    [c.success, c.surface, 4.5, 'success text on surface'],
    [c.text, c.infoSurface, 4.5, 'text in an info alert'],
    [c.text, c.successSurface, 4.5, 'text in a success alert'],
    [c.text, c.dangerSurface, 4.5, 'text in an error alert'],
    [c.success, c.successSurface, 4.5, 'success alert title'],
    [c.danger, c.dangerSurface, 4.5, 'error alert title'],
    [c.textMuted, c.infoSurface, 4.5, 'muted text in an info alert'],
    [c.border, c.surface, 3, 'input, radio and secondary button border'],
    [c.primary, c.surface, 3, 'primary button and checked radio against the page'],
    [c.danger, c.surface, 3, 'invalid input border'],
    [c.focus, c.surface, 3, 'focus ring (drawn with an offset, on the surface)'],
    [c.primary, c.infoSurface, 3, 'info alert accent'],
  ];
  it.each(pairs)('%s on %s ≥ %s:1 (%s)', (fg, bg, min) => {
    expect(contrastRatio(fg, bg)).toBeGreaterThanOrEqual(min);
  });

  it('fails a pair that does not meet AA', () => {
    expect(contrastRatio('#949494', '#ffffff')).toBeLessThan(4.5);
  });
});

describe('tokens', () => {
  it('controls are touch-sized and no target is below 24 px', () => {
    expect(px(tokens.controlHeight)).toBeGreaterThanOrEqual(44);
    expect(px(tokens.minTarget)).toBeGreaterThanOrEqual(24);
    expect(px(tokens.focusRing.width)).toBeGreaterThanOrEqual(2);
    expect(px(tokens.font.size.base)).toBeGreaterThanOrEqual(16);
  });

  it('every colour is 6-digit hex', () => {
    for (const value of Object.values(tokens.color)) expect(value).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('become --payin-… custom properties', () => {
    const vars = cssVariables();
    expect(vars['--payin-color-text-muted']).toBe(tokens.color.textMuted);
    expect(vars['--payin-color-on-primary']).toBe(tokens.color.onPrimary);
    expect(vars['--payin-font-size-base']).toBe('16px');
    expect(vars['--payin-space-4']).toBe('16px');
    expect(vars['--payin-radius-md']).toBe(tokens.radius.md);
    expect(vars['--payin-control-height']).toBe(tokens.controlHeight);
    expect(vars['--payin-focus-ring-width']).toBe(tokens.focusRing.width);
    for (const name of Object.keys(vars)) expect(name).toMatch(/^--payin-[a-z0-9-]+$/);
  });
});

describe('styles.css', () => {
  it('carries exactly the tokens of src/tokens.ts (npm run -w @payin/design-system tokens)', () => {
    expect(tokensBlock(stylesheet)).toBe(tokensCss());
  });

  it('would be caught drifting', () => {
    const changed: Tokens = { ...tokens, color: { ...tokens.color, primary: '#123456' } };
    expect(tokensBlock(stylesheet)).not.toBe(tokensCss(changed));
    const rewritten = replaceTokensBlock(stylesheet, tokensCss(changed));
    expect(tokensBlock(rewritten)).toBe(tokensCss(changed));
    expect(rewritten).toContain('--payin-color-primary: #123456;');
  });

  const rules = stylesheet.replace(/\/\* tokens:start[\s\S]*?tokens:end \*\//, '');

  it('uses only defined custom properties', () => {
    const defined = new Set(Object.keys(cssVariables()));
    const used = new Set([...rules.matchAll(/var\((--[a-z0-9-]+)/g)].map((m) => m[1]));
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !defined.has(name as string))).toEqual([]);
  });

  it('has no colour outside the tokens (system colours in forced-colors mode aside)', () => {
    const withoutComments = rules.replace(/\/\*[\s\S]*?\*\//g, '');
    expect(withoutComments).not.toMatch(/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i);
    expect(withoutComments).not.toMatch(/:\s*(white|black|red|blue|green|gray|grey)\b/i);
  });

  it('has no pixel length outside the tokens (the visually hidden 1 px clip aside)', () => {
    const withoutComments = rules.replace(/\/\*[\s\S]*?\*\//g, '');
    const lengths = [...withoutComments.matchAll(/-?\d+(?:\.\d+)?px/g)].map((m) => m[0]);
    expect(lengths.filter((length) => !['1px', '-1px'].includes(length))).toEqual([]);
  });

  it('uses logical properties only (RTL-safe)', () => {
    expect(rules).not.toMatch(
      /(margin|padding|border)-(left|right)|\b(left|right)\s*:|text-align:\s*(left|right)/,
    );
  });

  it('shows focus with :focus-visible and honours reduced motion', () => {
    expect(rules).toMatch(/:focus-visible/);
    expect(rules).not.toMatch(/outline:\s*(none|0)/);
    expect(rules).toMatch(/@media \(prefers-reduced-motion: reduce\)[\s\S]*animation: none/);
  });

  it('every class is prefixed payin-', () => {
    const classes = [...rules.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/\.([a-z][a-z0-9_-]*)/gi)].map(
      (m) => m[1],
    );
    expect(classes.length).toBeGreaterThan(20);
    expect(classes.filter((name) => !name?.startsWith('payin-'))).toEqual([]);
  });
});

describe('fieldsAppearance', () => {
  it('has exactly the keys of the vault frames Appearance', () => {
    const appearance = fieldsAppearance();
    expect(Object.keys(appearance).sort()).toEqual([...appearanceKeys].sort());
    // Both directions at compile time: same keys, all optional on the vault's side.
    const toVault: Required<Appearance> = appearance;
    const fromVault: FieldsAppearance = toVault;
    expect(fromVault).toBe(appearance);
  });

  it('maps the tokens', () => {
    expect(fieldsAppearance()).toEqual({
      colorText: tokens.color.text,
      colorBackground: tokens.color.surface,
      colorDanger: tokens.color.danger,
      colorBorder: tokens.color.border,
      colorFocus: tokens.color.focus,
      colorPlaceholder: tokens.color.placeholder,
      fontFamily: tokens.font.family,
      fontSizeBase: '16px',
      borderRadius: tokens.radius.md,
    });
  });
});
