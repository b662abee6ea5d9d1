import { type AmountLimits, type MethodRule, type MethodType, methodTypes } from './payment-methods.js';

/**
 * Market rules given as data (a JSON file an operator edits: `PAYIN_PAYMENT_METHOD_RULES`), checked
 * as strictly as the built-in table is typed. Each mistake is named with its place, so a rule
 * that would silently offer nothing, or offer a method where it must not, stops the start
 * instead. Throws an Error listing every mistake found.
 */
export function parseMethodRules(value: unknown): MethodRule[] {
  const mistakes: string[] = [];
  if (!Array.isArray(value)) throw new Error('market rules: expected an array of rules');
  const rules = value.map((raw, i) => parseRule(raw, `rule ${i}`, mistakes));
  if (mistakes.length > 0) throw new Error(`market rules: ${mistakes.join('; ')}`);
  return rules as MethodRule[];
}

const RULE_KEYS = new Set(['type', 'countries', 'currencies', 'limits', 'brands']);

function parseRule(raw: unknown, at: string, mistakes: string[]): MethodRule | undefined {
  if (!isObject(raw)) {
    mistakes.push(`${at}: expected an object`);
    return undefined;
  }
  for (const key of Object.keys(raw)) if (!RULE_KEYS.has(key)) mistakes.push(`${at}: unknown field "${key}"`);
  const type = raw.type;
  if (typeof type !== 'string' || !(methodTypes as readonly string[]).includes(type)) {
    mistakes.push(`${at}: type must be one of ${methodTypes.join(', ')}`);
  }
  const countries = codes(
    raw.countries,
    /^[A-Z]{2}$/,
    `${at}: countries`,
    'ISO 3166 alpha-2 codes',
    mistakes,
  );
  const currencies = codes(raw.currencies, /^[A-Z]{3}$/, `${at}: currencies`, 'ISO 4217 codes', mistakes);
  const rule: MethodRule = { type: type as MethodType, countries, currencies };
  if (raw.limits !== undefined) rule.limits = limits(raw.limits, `${at}: limits`, mistakes);
  if (raw.brands !== undefined) {
    if (type !== 'card') mistakes.push(`${at}: brands are for card rules only`);
    else if (!Array.isArray(raw.brands) || !raw.brands.every((b) => typeof b === 'string' && b.length > 0))
      mistakes.push(`${at}: brands must be an array of brand names`);
    else rule.brands = raw.brands as string[];
  }
  return rule;
}

function codes(
  value: unknown,
  pattern: RegExp,
  at: string,
  what: string,
  mistakes: string[],
): readonly string[] | '*' {
  if (value === '*') return '*';
  if (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every((v) => typeof v === 'string' && pattern.test(v))
  )
    return value as string[];
  mistakes.push(`${at} must be "*" or a non-empty array of upper-case ${what}`);
  return [];
}

function limits(value: unknown, at: string, mistakes: string[]): Record<string, AmountLimits> {
  const out: Record<string, AmountLimits> = {};
  if (!isObject(value)) {
    mistakes.push(`${at} must be an object of currency → { min, max }`);
    return out;
  }
  for (const [currency, raw] of Object.entries(value)) {
    const here = `${at}.${currency}`;
    if (!/^[A-Z]{3}$/.test(currency)) mistakes.push(`${here}: not an upper-case ISO 4217 code`);
    if (!isObject(raw)) {
      mistakes.push(`${here} must be { min?, max? }`);
      continue;
    }
    const limit: AmountLimits = {};
    for (const [key, bound] of Object.entries(raw)) {
      if (key !== 'min' && key !== 'max') mistakes.push(`${here}: unknown field "${key}"`);
      // Minor units, as every amount in payin: 10.00 EUR is 1000.
      else if (!Number.isSafeInteger(bound) || (bound as number) < 0)
        mistakes.push(`${here}.${key} must be a non-negative integer amount in minor units`);
      else limit[key] = bound as number;
    }
    if (limit.min !== undefined && limit.max !== undefined && limit.min > limit.max)
      mistakes.push(`${here}: min is above max`);
    out[currency] = limit;
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
