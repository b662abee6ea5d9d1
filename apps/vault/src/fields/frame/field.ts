/// <reference lib="dom" />
import type { ErrorCode, Messages } from '../messages/index.js';
import type { FieldName, FieldState } from '../protocol.js';
import { formatters, reformat } from './formatting.js';
import type { Check } from './validation.js';
import { type FieldView, renderField } from './view.js';

/** What makes one field itself: its input attributes and its check. */
export interface Behaviour {
  attributes: Record<string, string>;
  check(value: string): Check;
}

/** One field's input wired to its formatting, its check and the state it reports. */
export interface FieldControl {
  view: FieldView;
  value(): string;
  check(): Check;
  /** Re-checks after a change from outside the input (the brand) and reports the state. */
  refresh(): void;
  /** Shows an error (a catalogue code, or a server's message when it has none), or clears it. */
  show(code: ErrorCode | null, message?: string): void;
  state(): FieldState;
}

export function controlField(
  field: FieldName,
  messages: Messages,
  behaviour: Behaviour,
  report: (state: FieldState) => void,
  half = false,
): FieldControl {
  const view = renderField(
    field,
    messages.label[field],
    messages.placeholder[field],
    behaviour.attributes,
    half,
  );
  const { input } = view;
  let shown: FieldState['error'] = null;
  let reported = '';
  // Edited since the last blur: an untouched field keeps the error it shows (a server's refusal).
  let edited = false;

  const state = (): FieldState => {
    const { empty, complete, valid } = behaviour.check(input.value);
    return { empty, complete, valid, error: shown };
  };
  const emit = () => {
    const next = state();
    const key = JSON.stringify(next);
    if (key !== reported) {
      reported = key;
      report(next);
    }
  };
  const show = (code: ErrorCode | null, message?: string) => {
    const text = code ? messages.errors[code] : (message ?? null);
    shown = text ? { code: code ?? 'invalid', message: text } : null;
    view.showError(text);
    emit();
  };

  const format = (deleting: boolean) => {
    const raw = input.value;
    const next = reformat(raw, input.selectionStart ?? raw.length, (r) => formatters[field](r, deleting));
    if (next.value !== raw) {
      input.value = next.value;
      input.setSelectionRange(next.caret, next.caret);
    }
  };
  const afterEdit = (deleting: boolean) => {
    edited = true;
    format(deleting);
    // Errors appear on blur, not while typing; typing clears the one shown.
    if (shown) show(null);
    else emit();
  };
  input.addEventListener('input', (event) => {
    const e = event as InputEvent;
    // An IME (Japanese full-width digits) is still composing: reformat when it commits.
    if (e.isComposing) return;
    afterEdit(e.inputType?.startsWith('delete') ?? false);
  });
  // Backspace just after a separator the field added (`4242 |4242`, `12 / |3`) deletes the digit
  // before it: deleting the separator alone would only bring it back. At the end of the value
  // the separator goes by itself (`12 / ` → `12`); a name keeps its spaces.
  input.addEventListener('beforeinput', (e) => {
    if (field === 'holder_name' || e.inputType !== 'deleteContentBackward') return;
    const { selectionStart: start, selectionEnd: end, value } = input;
    if (start === null || start !== end || start === value.length) return;
    let i = start;
    while (i > 0 && !/\d/.test(value[i - 1] ?? '')) i--;
    if (i === start || i === 0) return;
    e.preventDefault();
    input.setRangeText('', i - 1, start, 'end');
    afterEdit(true);
  });
  input.addEventListener('compositionend', () => {
    format(false);
    emit();
  });
  input.addEventListener('blur', () => {
    if (!edited) return;
    edited = false;
    const check = behaviour.check(input.value);
    show(!check.empty && check.error ? check.error : null);
  });

  return {
    view,
    value: () => input.value,
    check: () => behaviour.check(input.value),
    refresh: emit,
    show,
    state,
  };
}
