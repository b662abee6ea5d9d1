/// <reference lib="dom" />
import { type Appearance, appearanceKeys, type FieldName } from '../protocol.js';

/** The elements of one field: a label, the input in its bordered row, the error line below. */
export interface FieldView {
  input: HTMLInputElement;
  row: HTMLDivElement;
  label: HTMLLabelElement;
  showError(message: string | null): void;
  setLabel(text: string | undefined, hidden: boolean): void;
}

/**
 * Builds the field's markup in a box of its own (a frame may hold several fields, laid out by
 * the stylesheet); attributes come from the field's behaviour (autocomplete, inputmode…).
 * `half`: the expiry and the CVC of one frame share a row.
 */
export function renderField(
  field: FieldName,
  labelText: string,
  placeholder: string,
  attributes: Record<string, string>,
  half: boolean,
): FieldView {
  const box = document.createElement('div');
  box.className = half ? 'field half' : 'field';
  const label = document.createElement('label');
  label.htmlFor = `input-${field}`;
  label.textContent = labelText;
  const row = document.createElement('div');
  row.className = 'row';
  const input = document.createElement('input');
  input.id = `input-${field}`;
  input.name = field;
  input.type = 'text';
  input.placeholder = placeholder;
  input.spellcheck = false;
  for (const [name, value] of Object.entries(attributes)) input.setAttribute(name, value);
  input.setAttribute('aria-invalid', 'false');
  input.setAttribute('aria-describedby', `error-${field}`);
  const error = document.createElement('p');
  error.id = `error-${field}`;
  error.className = 'error';
  // Announced when it appears (on blur or tokenize), without stealing focus.
  error.setAttribute('aria-live', 'polite');
  row.append(input);
  box.append(label, row, error);
  document.body.append(box);
  return {
    input,
    row,
    label,
    showError(message) {
      error.textContent = message ?? '';
      input.setAttribute('aria-invalid', String(message !== null));
      row.classList.toggle('invalid', message !== null);
    },
    setLabel(text, hidden) {
      if (text) label.textContent = text;
      label.classList.toggle('sr', hidden);
    },
  };
}

/** A value that is a CSS value and nothing more: no url() fetching, no escaping into other rules. */
function safeCssValue(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 200 && !/url\(|[;{}\\<>]/i.test(value);
}

/** Sets the merchant's design tokens as `--payin-…` custom properties on the frame's root. */
export function applyAppearance(appearance: Appearance | undefined): void {
  if (!appearance) return;
  for (const key of appearanceKeys) {
    const value = appearance[key];
    if (!safeCssValue(value)) continue;
    const property = `--payin-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    document.documentElement.style.setProperty(property, value);
  }
}
