/**
 * The payer's details a method asks for (`billing_details` of the offered method), as the
 * fields of its panel: which inputs, with which `autocomplete` token, and their checks. The api
 * checks them again; these only spare the shopper a round trip and say what is wrong, in place.
 */
import type { BillingDetails, BillingField } from '../../client.js';
import type { MethodMessages } from '../../i18n/methods.js';

export type BillingInput = 'name' | 'email' | 'phone' | 'line1' | 'postal_code' | 'city';

export interface BillingInputSpec {
  input: BillingInput;
  label: keyof MethodMessages;
  type: 'text' | 'email' | 'tel';
  /** HTML autocomplete tokens: the browser fills the payer's own details. */
  autocomplete: string;
  inputmode?: 'email' | 'tel' | 'numeric';
  maxlength: number;
}

const specs: Record<BillingInput, BillingInputSpec> = {
  name: { input: 'name', label: 'fieldName', type: 'text', autocomplete: 'name', maxlength: 255 },
  email: {
    input: 'email',
    label: 'fieldEmail',
    type: 'email',
    autocomplete: 'email',
    inputmode: 'email',
    maxlength: 320,
  },
  phone: {
    input: 'phone',
    label: 'fieldPhone',
    type: 'tel',
    autocomplete: 'tel',
    inputmode: 'tel',
    maxlength: 32,
  },
  line1: {
    input: 'line1',
    label: 'fieldAddressLine1',
    type: 'text',
    autocomplete: 'address-line1',
    maxlength: 255,
  },
  postal_code: {
    input: 'postal_code',
    label: 'fieldPostalCode',
    type: 'text',
    autocomplete: 'postal-code',
    maxlength: 32,
  },
  city: { input: 'city', label: 'fieldCity', type: 'text', autocomplete: 'address-level2', maxlength: 255 },
};

/** The inputs for the details a method asks, in the order a form asks them. */
export function billingInputs(fields: readonly BillingField[] | undefined): BillingInputSpec[] {
  const wanted = new Set(fields ?? []);
  const inputs: BillingInput[] = [];
  if (wanted.has('name')) inputs.push('name');
  if (wanted.has('email')) inputs.push('email');
  if (wanted.has('phone')) inputs.push('phone');
  if (wanted.has('address')) inputs.push('line1', 'postal_code', 'city');
  return inputs.map((input) => specs[input]);
}

// As the api checks them (apps/api/src/schemas/common.ts, BillingDetails).
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const phonePattern = /^\+?[0-9 ().-]{6,31}$/;

/** The message key of what is wrong with a value, or undefined when it will do. */
export function billingProblem(input: BillingInput, raw: string): keyof MethodMessages | undefined {
  const value = raw.trim();
  switch (input) {
    case 'name':
      return value ? undefined : 'requiredName';
    case 'email':
      if (!value) return 'requiredEmail';
      return emailPattern.test(value) ? undefined : 'invalidEmail';
    case 'phone':
      if (!value) return 'requiredPhone';
      return phonePattern.test(value) && /[0-9].*[0-9].*[0-9].*[0-9].*[0-9].*[0-9]/.test(value)
        ? undefined
        : 'invalidPhone';
    case 'line1':
      return value ? undefined : 'requiredAddressLine1';
    case 'postal_code':
      return value ? undefined : 'requiredPostalCode';
    case 'city':
      return value ? undefined : 'requiredCity';
  }
}

/** `billing_details` of `payment_method_data` from the values typed (trimmed), the country the payment's. */
export function billingDetailsOf(
  values: Partial<Record<BillingInput, string>>,
  inputs: readonly BillingInputSpec[],
  country: string | null,
): BillingDetails | undefined {
  if (inputs.length === 0) return undefined;
  const v = (input: BillingInput) => values[input]?.trim() ?? '';
  const asked = new Set(inputs.map((i) => i.input));
  const details: BillingDetails = {};
  if (asked.has('name')) details.name = v('name');
  if (asked.has('email')) details.email = v('email');
  if (asked.has('phone')) details.phone = v('phone');
  if (asked.has('line1'))
    details.address = {
      line1: v('line1'),
      postal_code: v('postal_code'),
      city: v('city'),
      ...(country ? { country } : {}),
    };
  return details;
}

/** The input a 400's `param` names (`payment_method_data.billing_details.address.city` → city). */
export function inputOfParam(param: string | undefined): BillingInput | undefined {
  const match = /^payment_method_data\.billing_details\.(?:address\.)?(\w+)$/.exec(param ?? '');
  const name = match?.[1];
  return name && name in specs ? (name as BillingInput) : undefined;
}
