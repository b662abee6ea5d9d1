/**
 * Card data and secrets never reach a log line (PCI DSS 3.3/3.4, 10.x). The logger runs every
 * object through this before writing: fields named like card data or secrets are replaced,
 * and any string that contains a Luhn-valid 13–19 digit number keeps only its last four.
 */
const SECRET_KEY = /(authorization|secret|password|passwd|token|api[-_]?key|cookie|client_secret)/i;
const CARD_KEY =
  /^(number|pan|card_?number|cvc|cvv|cvc2|cvv2|security_?code|exp(iry)?_?(month|year)?|track\d?)$/i;
const DIGIT_RUN = /(?:\d[ -]?){12,18}\d/g;
const API_KEY = /\b(sk|pk|whsec)_(test|live)?_?[0-9A-Za-z]{8,}/g;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** true when the text holds something that looks like a card number (Luhn-valid, 13–19 digits). */
export function containsCardNumber(text: string): boolean {
  for (const run of text.match(DIGIT_RUN) ?? []) {
    const digits = run.replace(/[ -]/g, '');
    if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) return true;
  }
  return false;
}

export function maskCardNumbers(text: string): string {
  return text
    .replace(DIGIT_RUN, (run) => {
      const digits = run.replace(/[ -]/g, '');
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits)
        ? `[card ••••${digits.slice(-4)}]`
        : run;
    })
    .replace(API_KEY, (_m, kind: string, mode?: string) => `${kind}_${mode ? `${mode}_` : ''}[redacted]`);
}

export function redactSensitive(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (typeof value === 'string') return maskCardNumbers(value);
  if (Array.isArray(value)) return value.map((v) => redactSensitive(v, depth + 1));
  if (value && typeof value === 'object') {
    if (value instanceof Error) {
      return {
        type: value.name,
        message: maskCardNumbers(value.message),
        stack: value.stack && maskCardNumbers(value.stack),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) || CARD_KEY.test(k) ? '[redacted]' : redactSensitive(v, depth + 1);
    }
    return out;
  }
  return value;
}
