/// <reference lib="dom" />
/**
 * The part of the vault's `payin-fields.js` (`window.PayinFields`) the checkout uses, written
 * structurally: the host page loads that script from the vault (pinned with SRI) and the
 * checkout never loads a script itself.
 */
import type { FieldsAppearance } from '@payin/design-system';

export type CardField = 'number' | 'expiry' | 'cvc' | 'holderName';

export interface CardFieldState {
  empty: boolean;
  complete: boolean;
  valid: boolean;
  /** The error the frame shows under its input (after blur or tokenize), or null. */
  error: { code: string; message: string } | null;
}

export interface CardFieldEvents {
  ready: { field: CardField };
  change: { field: CardField } & CardFieldState;
  focus: { field: CardField };
  blur: { field: CardField };
  brand: { field: 'number'; brand: string | null; availableBrands: string[]; chosen: string | null };
  validity: { valid: boolean; fields: Partial<Record<CardField, boolean>> };
}

export interface CardFieldsOptions {
  vaultUrl: string;
  publishableKey: string;
  locale?: string;
  fields: Partial<Record<CardField, string | HTMLElement>> & {
    number: string | HTMLElement;
    expiry: string | HTMLElement;
  };
  hideLabels?: boolean;
  appearance?: FieldsAppearance;
}

/** A vault token as `tokenize()` resolves it (only its id is used here). */
export interface VaultToken {
  id: string;
}

/** What `tokenize()` rejects with: a refusal that the frames already show in the field `param` names. */
export interface TokenizeFailure {
  type: string;
  code: string;
  message: string;
  param?: string;
}

export interface MountedCardFields {
  on<K extends keyof CardFieldEvents>(name: K, handler: (payload: CardFieldEvents[K]) => void): () => void;
  tokenize(): Promise<unknown>;
  destroy(): void;
}

export interface PayinFieldsApi {
  mount(options: CardFieldsOptions): MountedCardFields;
}

declare global {
  interface Window {
    PayinFields?: PayinFieldsApi;
  }
}

/** The fields the checkout mounts, in DOM (and Tab) order. */
export const cardFields = ['number', 'expiry', 'cvc'] as const satisfies readonly CardField[];

export function isVaultToken(value: unknown): value is VaultToken {
  return typeof value === 'object' && value !== null && typeof (value as VaultToken).id === 'string';
}

export function asTokenizeFailure(value: unknown): TokenizeFailure {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Partial<TokenizeFailure>;
  return {
    type: typeof v.type === 'string' ? v.type : 'api_error',
    code: typeof v.code === 'string' ? v.code : 'processing_error',
    message: typeof v.message === 'string' ? v.message : '',
    ...(typeof v.param === 'string' ? { param: v.param } : {}),
  };
}
