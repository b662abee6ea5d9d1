import { randomBytes } from 'node:crypto';
import type { LinkDescription } from '@payin/provider-wire/paypal';

/**
 * PayPal's error bodies, from one table (https://developer.paypal.com/api/rest/responses/):
 * `name` and `message` per HTTP status as the OpenAPI files enumerate them (error_400,
 * error_401, error_404, error_409, error_422, error_500), `details[]` carrying the fine-grained
 * `issue` with the description the specs give for it, a `debug_id`, and an `information_link`.
 */
const statuses = {
  400: {
    name: 'INVALID_REQUEST',
    message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
  },
  401: {
    name: 'AUTHENTICATION_FAILURE',
    message:
      'Authentication failed due to missing authorization header, or invalid authentication credentials.',
  },
  404: { name: 'RESOURCE_NOT_FOUND', message: 'The specified resource does not exist.' },
  409: {
    name: 'RESOURCE_CONFLICT',
    message: 'The server has detected a conflict while processing this request.',
  },
  422: {
    name: 'UNPROCESSABLE_ENTITY',
    message:
      'The requested action could not be performed, semantically incorrect, or failed business validation.',
  },
  500: { name: 'INTERNAL_SERVER_ERROR', message: 'An internal server error occurred.' },
} as const;
export type ErrorStatus = keyof typeof statuses;

/** Issue descriptions, word for word from the `details` enums of specs/paypal. */
export const issues = {
  MISSING_REQUIRED_PARAMETER: 'A required field / parameter is missing.',
  INVALID_PARAMETER_VALUE: 'The value of a field is invalid.',
  INVALID_STRING_LENGTH: 'The value of a field is either too short or too long',
  MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
  INVALID_RESOURCE_ID: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  DECIMAL_PRECISION: 'If the currency supports decimals, only two decimal place precision is supported.',
  DECIMALS_NOT_SUPPORTED:
    'Currency does not support decimals. Please refer to https://developer.paypal.com/docs/api/reference/currency-codes/ for more information.',
  CANNOT_BE_ZERO_OR_NEGATIVE:
    'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.',
  // Not in the OpenAPI files; the body PayPal answers for an ISO code it does not settle in.
  CURRENCY_NOT_SUPPORTED:
    'Currency code is not currently supported. Please refer https://developer.paypal.com/docs/integration/direct/rest/currency-codes/ for list of supported currency codes.',
  DUPLICATE_REFERENCE_ID: '`reference_id` must be unique if multiple `purchase_unit` are provided.',
  REFERENCE_ID_REQUIRED:
    "'reference_id' is required for each 'purchase_unit' if multiple 'purchase_unit' are provided.",
  MULTI_CURRENCY_ORDER:
    'Multiple differing values of currency_code are not supported. Entire Order request must have the same currency_code.',
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid `payment_source` in the request.",
  ORDER_NOT_APPROVED_FOR_AUTHORIZE:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  ORDER_ALREADY_AUTHORIZED:
    "Order already authorized.If 'intent=AUTHORIZE' only one authorization per order is allowed.",
  ACTION_DOES_NOT_MATCH_INTENT:
    "Order was created with an intent to 'CAPTURE'. Please use v2/checkout/orders/order_id/capture to complete the transaction or alternately Create an order with an intent of 'AUTHORIZE'.",
  // Not in the capture operation's enum: the mirror of the authorize one, as PayPal answers it.
  ACTION_DOES_NOT_MATCH_INTENT_FOR_CAPTURE:
    "Order was created with an intent to 'AUTHORIZE'. Please use v2/checkout/orders/order_id/authorize to complete the transaction or alternately Create an order with an intent of 'CAPTURE'.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  TRANSACTION_REFUSED: 'The request was refused.',
  AUTHORIZATION_VOIDED: 'A voided authorization cannot be captured or reauthorized. ',
  AUTHORIZATION_ALREADY_CAPTURED: 'Authorization has previously been captured.',
  AUTH_CAPTURE_CURRENCY_MISMATCH: 'Currency of capture must be the same as currency of authorization.',
  AUTH_CURRENCY_MISMATCH:
    'The currency of the authorization should be same as that in which the payment was created.',
  MAX_CAPTURE_AMOUNT_EXCEEDED:
    'Capture amount exceeds allowable limit. Please contact customer service or your account manager to request the change to your overage limit. The default overage limit is 115%, which allows the sum of all captures to be up to 115% of the order amount. The ability to over capture is subjected to regulatory approvals.',
  PREVIOUSLY_CAPTURED: 'Authorization has been previously captured and hence cannot be voided.',
  PREVIOUSLY_VOIDED: 'Authorization has been previously voided and hence cannot be voided again.',
  CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
  REFUND_AMOUNT_EXCEEDED:
    'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
  REFUND_CAPTURE_CURRENCY_MISMATCH: 'Refund must be in the same currency as the capture',
  REFUND_NOT_ALLOWED: 'Capture cannot be refunded.',
  PENDING_CAPTURE:
    'Cannot initiate a refund as the capture is pending. Capture is typically pending when the payer has funded the transaction using e-check/bank funded.',
} as const;
export type Issue = keyof typeof issues;

/** Issues whose description depends on the operation, under their wire name. */
const variants: Partial<Record<Issue, string>> = {
  // The spec's authorize-422 enum words it without "or provide a valid `payment_source`".
  ORDER_NOT_APPROVED_FOR_AUTHORIZE: 'ORDER_NOT_APPROVED',
  ACTION_DOES_NOT_MATCH_INTENT_FOR_CAPTURE: 'ACTION_DOES_NOT_MATCH_INTENT',
};

/** Create order words two of them differently (the spec's top-level 400 enum). */
const orderCreateIssues: Partial<Record<Issue, string>> = {
  MISSING_REQUIRED_PARAMETER: 'A required parameter is missing.',
  INVALID_PARAMETER_VALUE: 'A parameter value is not valid.',
};

/** Where each API's error pages live, for the `information_link`. */
const docs = {
  orders: 'https://developer.paypal.com/docs/api/orders/v2/',
  payments: 'https://developer.paypal.com/docs/api/payments/v2/',
  webhooks: 'https://developer.paypal.com/docs/api/webhooks/v1/',
} as const;
export type PayPalApiName = keyof typeof docs;

/** One entry of `details` (the specs' error_details). */
export interface ErrorDetail {
  field?: string;
  value?: string;
  location?: string;
  issue: string;
  description: string;
}

export interface ErrorBody {
  name: string;
  message: string;
  debug_id: string;
  details?: ErrorDetail[];
  links: LinkDescription[];
}

export const debugId = () => randomBytes(7).toString('hex').slice(0, 13);

export interface IssueAt {
  issue: Issue;
  field?: string;
  value?: string;
  location?: 'body' | 'path' | 'query' | 'header';
}

export class PayPalError extends Error {
  readonly body: ErrorBody;

  constructor(
    readonly status: ErrorStatus,
    api: PayPalApiName,
    detail?: IssueAt,
    extraLinks: LinkDescription[] = [],
  ) {
    super(detail?.issue ?? statuses[status].name);
    const { name, message } = statuses[status];
    const issue = detail ? (variants[detail.issue] ?? detail.issue) : undefined;
    this.body = {
      name,
      message,
      debug_id: debugId(),
      ...(detail && issue
        ? {
            details: [
              {
                ...(detail.field !== undefined ? { field: detail.field } : {}),
                ...(detail.value !== undefined ? { value: detail.value } : {}),
                ...(detail.field !== undefined ? { location: detail.location ?? 'body' } : {}),
                issue,
                description: (api === 'orders' && orderCreateIssues[detail.issue]) || issues[detail.issue],
              },
            ],
          }
        : {}),
      links: [
        ...extraLinks,
        {
          href: `${docs[api]}#error-${issue ?? name}`,
          rel: 'information_link',
          method: 'GET',
        },
      ],
    };
  }
}

/** 400 INVALID_REQUEST with one issue. */
export const invalid = (api: PayPalApiName, issue: Issue, field: string, value?: string) =>
  new PayPalError(400, api, { issue, field, value });

/** 422 UNPROCESSABLE_ENTITY with one issue. */
export const unprocessable = (api: PayPalApiName, issue: Issue, field?: string, value?: string) =>
  new PayPalError(422, api, { issue, field, value });

/** 404 RESOURCE_NOT_FOUND for an id in the path. */
export const notFound = (api: PayPalApiName, field: string, value: string) =>
  new PayPalError(404, api, { issue: 'INVALID_RESOURCE_ID', field, value, location: 'path' });

export const internalError = (api: PayPalApiName) => new PayPalError(500, api);
