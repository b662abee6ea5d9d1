/**
 * payin's design tokens: the one source of every colour, size and radius of the checkout.
 * `styles.css` carries them as `--payin-…` custom properties (generated from this file by
 * `npm run -w @payin/design-system tokens`; a test fails when the two drift apart), and
 * `fieldsAppearance()` hands the same values to the vault's hosted card fields.
 */

/** A CSS length in pixels: kept numeric in the type so that tests can reason about sizes. */
export type Px = `${number}px`;

/** A colour as 6-digit hex, so that contrast ratios can be computed from the tokens themselves. */
export type HexColor = `#${string}`;

export interface Tokens {
  color: {
    /** Body text, labels and input values on `surface`. */
    text: HexColor;
    /** Hints and secondary text on `surface`. */
    textMuted: HexColor;
    /** Placeholder text inside inputs. */
    placeholder: HexColor;
    /** Page, card and input background. */
    surface: HexColor;
    /** Outline of inputs, radios and secondary buttons (a UI component boundary: 3:1). */
    border: HexColor;
    /** Primary action background. */
    primary: HexColor;
    /** Text and icons on `primary`. */
    onPrimary: HexColor;
    /** Errors: text, invalid borders, error alert accent. */
    danger: HexColor;
    /** Background of error alerts. */
    dangerSurface: HexColor;
    /** Success text and success alert accent. */
    success: HexColor;
    /** Background of success alerts. */
    successSurface: HexColor;
    /** Background of informational alerts. */
    infoSurface: HexColor;
    /** Focus indicator around the focused control. */
    focus: HexColor;
    /** Dialog backdrop (drawn with opacity; it carries no information). */
    overlay: HexColor;
  };
  font: {
    family: string;
    size: { sm: Px; base: Px; lg: Px; xl: Px };
    weight: { regular: number; semibold: number };
    lineHeight: number;
  };
  space: { 0: Px; 1: Px; 2: Px; 3: Px; 4: Px; 5: Px; 6: Px };
  radius: { sm: Px; md: Px; lg: Px; full: Px };
  /** Height of buttons, inputs and selects: at least 44 px for touch. */
  controlHeight: Px;
  /** Smallest pointer target anywhere (radio circles, close buttons): never below 24 px. */
  minTarget: Px;
  borderWidth: Px;
  /** Height of one vault card field iframe with its label (apps/vault/src/fields: 88 px). */
  cardFieldHeight: Px;
  /** Widest a dialog gets. */
  dialogWidth: Px;
  focusRing: { width: Px; offset: Px };
  motion: { duration: string };
}

export const tokens = {
  color: {
    text: '#1a1a1a',
    textMuted: '#595959',
    placeholder: '#6b6b6b',
    surface: '#ffffff',
    border: '#767676',
    primary: '#1a56db',
    onPrimary: '#ffffff',
    danger: '#b3261e',
    dangerSurface: '#fdecea',
    success: '#146c2e',
    successSurface: '#e7f4ea',
    infoSurface: '#e8effc',
    focus: '#1a56db',
    overlay: '#000000',
  },
  font: {
    family: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
    size: { sm: '14px', base: '16px', lg: '18px', xl: '22px' },
    weight: { regular: 400, semibold: 600 },
    lineHeight: 1.5,
  },
  space: { 0: '0px', 1: '4px', 2: '8px', 3: '12px', 4: '16px', 5: '24px', 6: '32px' },
  radius: { sm: '4px', md: '6px', lg: '12px', full: '9999px' },
  controlHeight: '48px',
  minTarget: '24px',
  borderWidth: '1px',
  cardFieldHeight: '88px',
  dialogWidth: '480px',
  focusRing: { width: '2px', offset: '2px' },
  motion: { duration: '150ms' },
} as const satisfies Tokens;

/** `fontSize` → `font-size`, `textMuted` → `text-muted`. */
function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * Every token as a `--payin-…` custom property, in a stable order:
 * `--payin-color-text-muted`, `--payin-font-size-base`, `--payin-space-4`, `--payin-radius-md`,
 * `--payin-control-height`, `--payin-focus-ring-width`, …
 */
export function cssVariables(t: Tokens = tokens): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (prefix: string, value: unknown): void => {
    if (value !== null && typeof value === 'object') {
      for (const [key, inner] of Object.entries(value)) walk(`${prefix}-${kebab(key)}`, inner);
    } else {
      out[prefix] = String(value);
    }
  };
  walk('--payin', t);
  return out;
}

/** The `:root { … }` block of `styles.css`. */
export function tokensCss(t: Tokens = tokens): string {
  const lines = Object.entries(cssVariables(t)).map(([name, value]) => `  ${name}: ${value};`);
  return `:root {\n${lines.join('\n')}\n}\n`;
}

/**
 * The `appearance` object of the vault's hosted card fields (`payin:connect`), so that the card
 * number, expiry and CVC frames look like the rest of the checkout. Same keys as the vault's
 * `Appearance` type (apps/vault/src/fields/protocol.ts); every value is a plain CSS value.
 */
export interface FieldsAppearance {
  colorText: string;
  colorBackground: string;
  colorDanger: string;
  colorBorder: string;
  colorFocus: string;
  colorPlaceholder: string;
  fontFamily: string;
  fontSizeBase: string;
  borderRadius: string;
}

export function fieldsAppearance(t: Tokens = tokens): FieldsAppearance {
  return {
    colorText: t.color.text,
    colorBackground: t.color.surface,
    colorDanger: t.color.danger,
    colorBorder: t.color.border,
    colorFocus: t.color.focus,
    colorPlaceholder: t.color.placeholder,
    fontFamily: t.font.family,
    fontSizeBase: t.font.size.base,
    borderRadius: t.radius.md,
  };
}
