import type { components } from './checkout-types.js';
import type { components as WebhookComponents } from './webhook-types.js';

/**
 * Adyen's wire format, as generated from its OpenAPI descriptions in specs/adyen
 * (npm run generate:adyen-types): the connector sends it, the emulator answers it. Generated with
 * `--default-non-nullable false`: a field the description gives a default is optional to send.
 */
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

type WebhookSchemas = WebhookComponents['schemas'];
export type NotificationRequest = WebhookSchemas['NotificationRequest'];
export type NotificationRequestItem = WebhookSchemas['NotificationRequestItem'];
