/**
 * `id:secret` pairs, comma-separated, as the emulators take their accepted credentials from the
 * environment (PayPal's client id and secret, Klarna's username and password). The secret may
 * hold colons; the id may not be empty.
 */
export function credentialPairs(
  variable: string,
  value: string,
  what: string,
): { id: string; secret: string }[] {
  return value
    .split(',')
    .map((pair) => pair.trim())
    .filter(Boolean)
    .map((pair) => {
      const colon = pair.indexOf(':');
      if (colon <= 0) throw new Error(`${variable} must be ${what} pairs, comma-separated`);
      return { id: pair.slice(0, colon), secret: pair.slice(colon + 1) };
    });
}
