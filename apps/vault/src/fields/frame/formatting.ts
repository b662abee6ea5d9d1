import { detectBrand, formatExpiryInput, formatPan, normalizeDigits } from '../../cards/index.js';
import type { FieldName } from '../protocol.js';

/**
 * What each field shows for what the shopper typed. `deleting` is true when the edit was a
 * deletion, so that `MM / ` backspaced loses its slash instead of growing it back.
 */
export const formatters: Record<FieldName, (raw: string, deleting: boolean) => string> = {
  number(raw) {
    const digits = normalizeDigits(raw).slice(0, 19);
    return formatPan(digits, detectBrand(digits));
  },
  expiry: formatExpiryInput,
  cvc: (raw) => normalizeDigits(raw).slice(0, 4),
  holder_name: (raw) => raw,
};

/**
 * Reformats an edited value and says where the caret goes: at the end if it was at the end,
 * else after the same count of digits as before, so that editing in the middle of
 * `4242 4242 42|42` does not throw the caret to the end.
 */
export function reformat(
  raw: string,
  caret: number,
  format: (raw: string) => string,
): { value: string; caret: number } {
  const value = format(raw);
  if (caret >= raw.length) return { value, caret: value.length };
  const digitsBefore = normalizeDigits(raw.slice(0, caret)).length;
  let seen = 0;
  for (let i = 0; i < value.length; i++) {
    if (seen === digitsBefore) return { value, caret: i };
    if (/\d/.test(value[i] ?? '')) seen++;
  }
  return { value, caret: value.length };
}
