import type { components as OrdersComponents } from './orders-types.js';
import type { components as PaymentsComponents } from './payments-types.js';
import type { components as WebhooksComponents } from './webhooks-types.js';

/**
 * PayPal's wire format, generated from its OpenAPI descriptions in specs/paypal with
 * openapi-typescript (`--default-non-nullable false`, see apps/emulators/README.md): the
 * connector sends it, the emulator answers it.
 */
type Orders = OrdersComponents['schemas'];
type Payments = PaymentsComponents['schemas'];
type Webhooks = WebhooksComponents['schemas'];

export type Money = Orders['money'];
export type LinkDescription = Orders['link_description'];
export type OrderRequest = Orders['order_request'];
export type Order = Orders['order'];
export type OrderStatus = Orders['order_status'];
export type PurchaseUnitRequest = Orders['purchase_unit_request'];
export type PurchaseUnit = Orders['purchase_unit'];
export type Payer = Orders['payer'];
export type OrderCaptureRequest = Orders['order_capture_request'];
export type OrderAuthorizeRequest = Orders['order_authorize_request'];
export type OrderCapture = Orders['capture'];
export type OrderAuthorization = Orders['authorization'];

export type Authorization = Payments['authorization-2'];
export type Capture = Payments['capture-2'];
export type Refund = Payments['refund'];
export type CaptureRequest = Payments['capture_request'];
export type ReauthorizeRequest = Payments['reauthorize_request'];
export type RefundRequest = Payments['refund_request'];
export type ErrorDetails = Payments['error_details'];

export type WebhookEvent = Webhooks['event'];
export type VerifyWebhookSignature = Webhooks['verify_webhook_signature'];
export type VerifyWebhookSignatureResponse = Webhooks['verify_webhook_signature_response'];
