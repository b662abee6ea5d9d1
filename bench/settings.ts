/** A whole number of the environment variable `name`, or `fallback` when unset; exits on anything else. */
export function positiveInteger(name: string, fallback: number, zeroAllowed = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < (zeroAllowed ? 0 : 1)) {
    fail(`${name} must be a ${zeroAllowed ? 'non-negative' : 'positive'} integer, not ${raw}`);
  }
  return value;
}

/** A setting the bench cannot run with: said once, before anything was started. */
export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}
