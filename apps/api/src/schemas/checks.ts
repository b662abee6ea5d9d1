import { containsCardNumber, errors } from '@payin/core';
import { isStorableText } from './common.js';

/**
 * Checks JSON Schema cannot express. Metadata keys are limited to 40 characters (the schema
 * bounds the values and their count), and no free text may carry a card number.
 */
export function checkMetadata(metadata: Record<string, string> | undefined): Record<string, string> {
  for (const [key, value] of Object.entries(metadata ?? {})) {
    // The schema checks values only (JSON Schema cannot constrain a record's keys).
    if (!isStorableText(key)) {
      throw errors.invalidParameter(
        'metadata',
        'Metadata keys must not contain NUL characters or unpaired surrogates.',
      );
    }
    if (key.length > 40) {
      throw errors.invalidParameter(
        `metadata[${key.slice(0, 40)}…]`,
        'Metadata keys must be at most 40 characters.',
      );
    }
    refuseCardNumber(`metadata[${key}]`, value);
  }
  return metadata ?? {};
}

/**
 * The api's database is outside the card-data environment (PCI DSS 3.2): card numbers belong
 * in the vault, and a field that looks like one is refused rather than stored.
 */
export function refuseCardNumber(param: string, value: string | undefined | null): void {
  if (value && containsCardNumber(value)) {
    throw errors.invalidParameter(
      param,
      `${param} looks like it contains a card number. payin keeps card data in its vault only; send a token instead.`,
    );
  }
}

/** The payer's details are free text too: none of it may carry a card number. */
export function refuseCardNumbersIn(data: { billing_details?: Record<string, unknown> } | undefined): void {
  const details = data?.billing_details;
  if (!details) return;
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string') refuseCardNumber(`payment_method_data.billing_details.${key}`, value);
    else if (value && typeof value === 'object') {
      for (const [part, text] of Object.entries(value))
        if (typeof text === 'string')
          refuseCardNumber(`payment_method_data.billing_details.${key}.${part}`, text);
    }
  }
}
