/**
 * What a shopper types, as plain ASCII digits. NFKC folds full-width digits (０-９, typed by
 * Japanese IMEs) into 0-9; spaces, dashes and slashes a shopper or an autofill adds go.
 */
export function normalizeDigits(input: string): string {
  return input.normalize('NFKC').replace(/\D/g, '');
}
