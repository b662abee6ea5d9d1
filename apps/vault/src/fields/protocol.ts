import type { CardBrand } from '../cards/index.js';
import type { Messages } from './messages/index.js';

/**
 * The messages between the merchant's page, the frames and the frames among themselves. Values
 * a shopper types travel only between vault-origin documents (the sibling bus); what crosses to
 * the merchant's page is state: empty, complete, valid, brand, and at the end the token.
 */

export type FieldName = 'number' | 'expiry' | 'cvc' | 'holder_name';
/** Also the order of the fields in a frame that holds several, and in the Tab order. */
export const fieldNames: readonly FieldName[] = ['number', 'expiry', 'cvc', 'holder_name'];

/**
 * The fields of one frame from its `fields` query (`number` or `number,expiry,cvc`): known
 * names, each once, put in `fieldNames` order; null for anything else.
 */
export function parseFieldGroup(text: string): FieldName[] | null {
  const names = text.split(',');
  const known = fieldNames.filter((f) => names.includes(f));
  return known.length === names.length && known.length > 0 ? known : null;
}

/**
 * The frame's layout and height, known to both sides so that the page reserves it before the
 * frame loads: one row per field, except the expiry and the CVC of one frame, which share a
 * row. A row is a label, the input and the error line (82 px; 60 px with hidden labels), and
 * the frame keeps 3 px around them for the focus ring.
 */
export function frameRows(fields: readonly FieldName[]): number {
  const paired = fields.includes('expiry') && fields.includes('cvc');
  return fields.length - (paired ? 1 : 0);
}
export const ROW_HEIGHT = 82;
export const ROW_HEIGHT_WITHOUT_LABEL = 60;
export const FRAME_PADDING = 3;
export function frameHeight(fields: readonly FieldName[], hideLabels: boolean): number {
  const row = hideLabels ? ROW_HEIGHT_WITHOUT_LABEL : ROW_HEIGHT;
  return frameRows(fields) * row + 2 * FRAME_PADDING;
}

export type Locale = 'en-US' | 'fr-FR' | 'es-ES' | 'ja-JP';

/** Design tokens a merchant may set; each becomes a `--payin-…` CSS custom property in the frames. */
export interface Appearance {
  colorText?: string;
  colorBackground?: string;
  colorDanger?: string;
  colorBorder?: string;
  colorFocus?: string;
  colorPlaceholder?: string;
  fontFamily?: string;
  fontSizeBase?: string;
  borderRadius?: string;
}
export const appearanceKeys: readonly (keyof Appearance)[] = [
  'colorText',
  'colorBackground',
  'colorDanger',
  'colorBorder',
  'colorFocus',
  'colorPlaceholder',
  'fontFamily',
  'fontSizeBase',
  'borderRadius',
];

/** What the vault renders into a frame page, validated on the server before it is. */
export interface FrameConfig {
  /** The fields this frame holds, in `fieldNames` order. */
  fields: FieldName[];
  publishableKey: string;
  /** The merchant page's origin: the only target of the frame's messages to its parent. */
  parentOrigin: string;
  session: string;
  locale: Locale;
  messages: Messages;
}

/** frame → parent, on `window.parent` with the parent origin as target. */
export interface HelloMessage {
  type: 'payin:hello';
  session: string;
  fields: FieldName[];
}

/** parent → frame, on the iframe's window with the vault origin as target, with a port transferred. */
export interface ConnectMessage {
  type: 'payin:connect';
  session: string;
  /** Fields of this mount, so that the number frame knows whom to gather values from. */
  fields: FieldName[];
  /** The merchant's labels for this frame's fields (also read by screen readers). */
  labels?: Partial<Record<FieldName, string>>;
  hideLabels?: boolean;
  appearance?: Appearance;
}

export interface FieldState {
  empty: boolean;
  /** As many characters as the field takes, valid or not. */
  complete: boolean;
  valid: boolean;
  /** The error the field shows (after blur or tokenize), or null. */
  error: { code: string; message: string } | null;
}

export interface BrandState {
  brand: CardBrand | null;
  availableBrands: CardBrand[];
  /** The network the cardholder chose among several, or null. */
  chosen: CardBrand | null;
}

/** The error a failed tokenization rejects with: the server's, or the frame's own validation. */
export interface TokenizeError {
  type: string;
  code: string;
  message: string;
  param?: string;
}

export type FrameToParent =
  | { type: 'ready' }
  | { type: 'change'; field: FieldName; state: FieldState }
  | { type: 'focus'; field: FieldName }
  | { type: 'blur'; field: FieldName }
  | ({ type: 'brand' } & BrandState)
  | { type: 'result'; id: number; token?: unknown; error?: TokenizeError };

export type ParentToFrame = { type: 'tokenize'; id: number };

/**
 * Between the fields of one mount, over `BroadcastChannel('payin:<session>')`, and among the
 * fields of one frame the same way.
 */
export type SiblingMessage =
  | { t: 'join'; fields: FieldName[] }
  | { t: 'brand'; brand: CardBrand | null }
  | { t: 'collect'; id: number }
  | { t: 'value'; id: number; field: FieldName; value: string }
  | { t: 'show'; field: FieldName; code: string | null; message?: string };
