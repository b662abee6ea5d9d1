import type { CardBrand } from '../cards/index.js';
import type { Messages } from './messages/index.js';

/**
 * The messages between the merchant's page, the frames and the frames among themselves. Values
 * a shopper types travel only between vault-origin documents (the sibling bus); what crosses to
 * the merchant's page is state: empty, complete, valid, brand, and at the end the token.
 */

export type FieldName = 'number' | 'expiry' | 'cvc' | 'holder_name';
export const fieldNames: readonly FieldName[] = ['number', 'expiry', 'cvc', 'holder_name'];

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
  field: FieldName;
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
  field: FieldName;
}

/** parent → frame, on the iframe's window with the vault origin as target, with a port transferred. */
export interface ConnectMessage {
  type: 'payin:connect';
  session: string;
  /** Fields of this mount, so that the number frame knows whom to gather values from. */
  fields: FieldName[];
  label?: string;
  hideLabel?: boolean;
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
  | { type: 'change'; state: FieldState }
  | { type: 'focus' }
  | { type: 'blur' }
  | ({ type: 'brand' } & BrandState)
  | { type: 'result'; id: number; token?: unknown; error?: TokenizeError };

export type ParentToFrame = { type: 'tokenize'; id: number };

/** Between the frames of one mount, over `BroadcastChannel('payin:<session>')`. */
export type SiblingMessage =
  | { t: 'join'; field: FieldName }
  | { t: 'brand'; brand: CardBrand | null }
  | { t: 'collect'; id: number }
  | { t: 'value'; id: number; field: FieldName; value: string }
  | { t: 'show'; field: FieldName; code: string | null; message?: string };
