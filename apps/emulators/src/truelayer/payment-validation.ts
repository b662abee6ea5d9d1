import type { CreatePaymentRequest, CreateRefundRequest } from '@payin/provider-wire/truelayer';
import { invalidParameters } from './errors.js';
import type { ClientRecord } from './state.js';

type Errors = Record<string, string[]>;
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const add = (errors: Errors, path: string, message: string) => {
  errors[path] = [...(errors[path] ?? []), message];
};

/** https://docs.truelayer.com/docs/creating-a-payment: up to 10 pairs, keys ≤ 40, values ≤ 500 characters. */
function checkMetadata(errors: Errors, metadata: unknown) {
  if (metadata === undefined) return;
  if (!isObject(metadata)) return add(errors, 'metadata', 'Must be an object of string values.');
  const entries = Object.entries(metadata);
  if (entries.length > 10) add(errors, 'metadata', 'Must have at most 10 key-value pairs.');
  for (const [key, value] of entries) {
    if (key.length > 40) add(errors, `metadata.${key}`, 'Keys must be at most 40 characters long.');
    if (typeof value !== 'string' || value.length > 500)
      add(errors, `metadata.${key}`, 'Values must be strings of at most 500 characters.');
  }
}

function checkUser(errors: Errors, user: unknown) {
  if (!isObject(user)) return add(errors, 'user', 'The field is required.');
  if (user.id !== undefined && (typeof user.id !== 'string' || user.id === ''))
    add(errors, 'user.id', 'Must be a non-empty string.');
  // Regulatory requirement for pay-ins: the payer's name, and an email or a phone number.
  if (typeof user.name !== 'string' || user.name.trim() === '')
    add(errors, 'user.name', 'The field is required.');
  if (user.email === undefined && user.phone === undefined)
    add(errors, 'user', 'Either email or phone must be provided.');
  if (
    user.email !== undefined &&
    (typeof user.email !== 'string' || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(user.email))
  )
    add(errors, 'user.email', 'Must be a valid email address.');
  if (user.phone !== undefined && (typeof user.phone !== 'string' || !/^\+[1-9]\d{6,14}$/.test(user.phone)))
    add(errors, 'user.phone', 'Must be a phone number in E.164 format, e.g. +33612345678.');
}

function checkPaymentMethod(errors: Errors, method: unknown, currency: unknown, client: ClientRecord) {
  if (!isObject(method)) return add(errors, 'payment_method', 'The field is required.');
  if (method.type !== 'bank_transfer')
    return add(errors, 'payment_method.type', 'Must be bank_transfer (mandates are not emulated).');
  const selection = method.provider_selection;
  if (!isObject(selection)) add(errors, 'payment_method.provider_selection', 'The field is required.');
  else if (selection.type !== 'user_selected')
    add(errors, 'payment_method.provider_selection.type', 'Must be user_selected (the emulated flow).');
  else if (selection.filter !== undefined) {
    const filter = selection.filter;
    if (!isObject(filter)) add(errors, 'payment_method.provider_selection.filter', 'Must be an object.');
    else {
      const countries = filter.countries;
      if (
        countries !== undefined &&
        (!Array.isArray(countries) || !countries.every((c) => typeof c === 'string' && /^[A-Z]{2}$/.test(c)))
      )
        add(
          errors,
          'payment_method.provider_selection.filter.countries',
          'Must be ISO 3166-1 alpha-2 codes.',
        );
      for (const key of ['provider_ids', 'customer_segments'] as const) {
        const v = filter[key];
        if (v !== undefined && (!Array.isArray(v) || !v.every((x) => typeof x === 'string')))
          add(errors, `payment_method.provider_selection.filter.${key}`, 'Must be an array of strings.');
      }
    }
  }
  const beneficiary = method.beneficiary;
  if (!isObject(beneficiary)) return add(errors, 'payment_method.beneficiary', 'The field is required.');
  if (beneficiary.type !== 'merchant_account')
    return add(errors, 'payment_method.beneficiary.type', 'Must be merchant_account (closed-loop pay-ins).');
  const account = client.merchantAccounts.find((a) => a.id === beneficiary.merchant_account_id);
  if (typeof beneficiary.merchant_account_id !== 'string' || !account)
    add(errors, 'payment_method.beneficiary.merchant_account_id', 'Unknown merchant account.');
  else if ((currency === 'EUR' || currency === 'GBP') && account.currency !== currency)
    add(
      errors,
      'payment_method.beneficiary.merchant_account_id',
      `The merchant account holds ${account.currency}.`,
    );
}

/** The body of POST /v3/payments, checked field by field; every problem is reported at once. */
export function checkCreatePayment(body: unknown, client: ClientRecord): CreatePaymentRequest {
  const errors: Errors = {};
  if (!isObject(body)) throw invalidParameters({ body: ['Must be a JSON object.'] });
  const amount = body.amount_in_minor;
  if (!Number.isInteger(amount) || (amount as number) < 1)
    add(errors, 'amount_in_minor', 'Must be an integer greater than 0.');
  if (body.currency !== 'EUR' && body.currency !== 'GBP') add(errors, 'currency', 'Must be one of GBP, EUR.');
  checkPaymentMethod(errors, body.payment_method, body.currency, client);
  checkUser(errors, body.user);
  checkMetadata(errors, body.metadata);
  if (Object.keys(errors).length > 0) throw invalidParameters(errors);
  return body as unknown as CreatePaymentRequest;
}

/** The body of POST /v3/payments/{id}/refunds; the amount against what remains is checked by the caller. */
export function checkCreateRefund(body: unknown): CreateRefundRequest {
  const errors: Errors = {};
  if (!isObject(body)) throw invalidParameters({ body: ['Must be a JSON object.'] });
  if (!Number.isInteger(body.amount_in_minor) || (body.amount_in_minor as number) < 1)
    add(errors, 'amount_in_minor', 'Must be an integer greater than 0.');
  // Shown on the payer's bank statement, where SEPA leaves room for 18 characters.
  if (typeof body.reference !== 'string' || body.reference === '' || body.reference.length > 18)
    add(errors, 'reference', 'Must be a string of 1 to 18 characters.');
  checkMetadata(errors, body.metadata);
  if (Object.keys(errors).length > 0) throw invalidParameters(errors);
  return body as unknown as CreateRefundRequest;
}
