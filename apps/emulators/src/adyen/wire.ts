import type { components } from './checkout-types.js';

/** Checkout API wire types, as generated from CheckoutService-v71.json (npm run generate:adyen-types). */
type Schemas = components['schemas'];

export type Amount = Schemas['Amount'];
export type CardDetails = Schemas['CardDetails'];
export type PaymentRequest = Schemas['PaymentRequest'];
export type PaymentResponse = Schemas['PaymentResponse'];
export type PaymentDetailsRequest = Schemas['PaymentDetailsRequest'];
export type PaymentDetailsResponse = Schemas['PaymentDetailsResponse'];
export type PaymentCaptureRequest = Schemas['PaymentCaptureRequest'];
export type PaymentCaptureResponse = Schemas['PaymentCaptureResponse'];
export type PaymentCancelRequest = Schemas['PaymentCancelRequest'];
export type PaymentCancelResponse = Schemas['PaymentCancelResponse'];
export type PaymentRefundRequest = Schemas['PaymentRefundRequest'];
export type PaymentRefundResponse = Schemas['PaymentRefundResponse'];
export type PaymentReversalRequest = Schemas['PaymentReversalRequest'];
export type PaymentReversalResponse = Schemas['PaymentReversalResponse'];
export type PaymentMethodsRequest = Schemas['PaymentMethodsRequest'];
export type PaymentMethodsResponse = Schemas['PaymentMethodsResponse'];
export type CheckoutRedirectAction = Schemas['CheckoutRedirectAction'];
export type ServiceError = Schemas['ServiceError'];
export type ResultCode = NonNullable<PaymentResponse['resultCode']>;
