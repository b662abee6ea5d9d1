import type { ServiceError } from '@payin/provider-wire/adyen';

/**
 * Adyen's error bodies (`ServiceError`), from one table. Codes marked "docs" are on Adyen's
 * "Error codes and messages" page (https://docs.adyen.com/development-resources/error-codes).
 * The others (14_006, 14_030, 130, 137, 167) are the codes Adyen's Checkout API is known to
 * answer but were not re-checked on a public page; where no specific code is known the emulator
 * answers the documented generic 000. A connector should key its handling on `status` and
 * `errorType` and treat `errorCode` as diagnostic.
 */
export const adyenErrors = {
  // docs: 000 "Unknown: Unauthorised"; body as the live API answers a wrong X-API-Key.
  unauthorised: {
    status: 401,
    errorCode: '000',
    message: 'HTTP Status Response - Unauthorized',
    errorType: 'security',
  },
  // docs: 000 "Unable to parse message".
  unparsable: { status: 400, errorCode: '000', message: 'Unable to parse message.', errorType: 'validation' },
  // docs: 100.
  amountMissing: {
    status: 422,
    errorCode: '100',
    message: "Required object 'amount' is not provided.",
    errorType: 'validation',
  },
  // docs: 101.
  invalidCardNumber: {
    status: 422,
    errorCode: '101',
    message: 'Invalid card number',
    errorType: 'validation',
  },
  // docs: 102.
  unknownVariant: {
    status: 422,
    errorCode: '102',
    message: 'Unable to determine variant',
    errorType: 'validation',
  },
  // docs: 103.
  cvcLength: {
    status: 422,
    errorCode: '103',
    message: 'CVC is not the right length',
    errorType: 'validation',
  },
  invalidAmount: {
    status: 422,
    errorCode: '137',
    message: 'Invalid amount specified',
    errorType: 'validation',
  },
  originalPspReference: {
    status: 422,
    errorCode: '167',
    message: 'Original pspReference required for this operation',
    errorType: 'validation',
  },
  merchantAccountMissing: {
    status: 422,
    errorCode: '14_006',
    message: "Required field 'merchantAccount' is not provided.",
    errorType: 'validation',
  },
  referenceMissing: {
    status: 422,
    errorCode: '130',
    message: "Required field 'reference' is not provided.",
    errorType: 'validation',
  },
  paymentMethodMissing: {
    status: 422,
    errorCode: '000',
    message: "Required object 'paymentMethod' is not provided.",
    errorType: 'validation',
  },
  unsupportedPaymentMethod: {
    status: 422,
    errorCode: '000',
    message: 'Payment method not supported by the emulator',
    errorType: 'validation',
  },
  returnUrlMissing: {
    status: 422,
    errorCode: '14_030',
    message: 'Return URL is missing.',
    errorType: 'validation',
  },
  detailsMissing: {
    status: 422,
    errorCode: '000',
    message: "Required object 'details' is not provided.",
    errorType: 'validation',
  },
  invalidRedirectResult: {
    status: 422,
    errorCode: '000',
    message: 'Invalid redirectResult',
    errorType: 'validation',
  },
  expiryMissing: {
    status: 422,
    errorCode: '000',
    message: 'Missing card expiry date',
    errorType: 'validation',
  },
  // API idempotency page: a duplicate still in progress is 422 (or 409) with 704 and
  // `transient-error: true`; the emulator answers the same code, without the header, for a key
  // reused with another body (retrying that can never succeed).
  idempotencyInProgress: {
    status: 409,
    errorCode: '704',
    message: 'request already processed or in progress',
    errorType: 'validation',
  },
  idempotencyKeyReused: {
    status: 422,
    errorCode: '704',
    message: 'request already processed or in progress',
    errorType: 'validation',
  },
  // The answer Adyen gives a payment method the account has no acquirer for in that currency
  // (Bizum in USD, PayPay in EUR): 500, 905_1, errorType "configuration", with a pspReference.
  // The message names the method and currency ("…txvariant (bizum), currency (USD), and action
  // (AUTH)."): AdyenError's `message` argument carries them.
  noAcquirerAccount: {
    status: 500,
    errorCode: '905_1',
    message: 'Could not find an acquirer account for the provided txvariant, currency, and action (AUTH).',
    errorType: 'configuration',
  },
  // A field a payment method requires (EcontextVoucherDetails: firstName, lastName, shopperEmail,
  // telephoneNumber); the message names it, in the wording of 14_006.
  requiredFieldMissing: {
    status: 422,
    errorCode: '000',
    message: 'Required field is not provided.',
    errorType: 'validation',
  },
  // CheckoutService-v71 EcontextVoucherDetails.telephoneNumber: "+31 20 779 1846" is accepted,
  // "+31 (0)20 779 1846" and "0031 20 779 1846" are not.
  telephoneNumberInvalid: {
    status: 422,
    errorCode: '000',
    message: "Field 'telephoneNumber' is not in the international format (+81 90 1234 5678).",
    errorType: 'validation',
  },
  idempotencyKeyTooLong: {
    status: 422,
    errorCode: '000',
    message: 'Idempotency-Key exceeds the maximum length of 64 characters',
    errorType: 'validation',
  },
} as const satisfies Record<
  string,
  Required<Pick<ServiceError, 'status' | 'errorCode' | 'message' | 'errorType'>>
>;

export type AdyenErrorName = keyof typeof adyenErrors;

/** An error a handler throws; the plugin's error handler turns it into Adyen's body. */
export class AdyenError extends Error {
  constructor(
    readonly kind: AdyenErrorName,
    readonly pspReference?: string,
    /** The message, where Adyen's names the field or method at fault. */
    readonly detail?: string,
  ) {
    super(detail ?? adyenErrors[kind].message);
  }

  get body(): ServiceError {
    const body: ServiceError = { ...adyenErrors[this.kind], message: this.message };
    if (this.pspReference) body.pspReference = this.pspReference;
    return body;
  }
}
