/**
 * Klarna's wire format for the Payments API v1, the Hosted Payment Page API v1 and the Order
 * Management API v1, typed by hand from Klarna's public API reference (Klarna publishes no
 * OpenAPI file for this repository to generate from). The connector sends these bodies and the
 * emulator answers them. Amounts are integers in minor units, as Klarna sends them
 * ("Non-negative, minor units. Two-decimal currency: 1000 = 10.00").
 */

/** Error body of every Klarna API (docs.klarna.com, "Manage orders with the API": error codes). */
export interface KlarnaErrorBody {
  error_code: string;
  error_messages: string[];
  correlation_id: string;
}

/** Payments API v1, `address` (docs.klarna.com/klarna-payments/api/payments-api). */
export interface Address {
  attention?: string;
  city?: string;
  country?: string;
  email?: string;
  family_name?: string;
  given_name?: string;
  organization_name?: string;
  phone?: string;
  postal_code?: string;
  region?: string;
  street_address?: string;
  street_address2?: string;
  title?: string;
}

/** Payments API v1, `order_line`: totals are checked (total_amount, total_tax_amount). */
export interface OrderLine {
  type?:
    | 'physical'
    | 'discount'
    | 'shipping_fee'
    | 'sales_tax'
    | 'digital'
    | 'gift_card'
    | 'store_credit'
    | 'surcharge';
  reference?: string;
  name: string;
  quantity: number;
  quantity_unit?: string;
  unit_price: number;
  tax_rate?: number;
  total_amount: number;
  total_discount_amount?: number;
  total_tax_amount?: number;
  merchant_data?: string;
  product_url?: string;
  image_url?: string;
}

/** Payments API v1, `merchant_urls` of a session or an order. */
export interface PaymentsMerchantUrls {
  confirmation?: string;
  notification?: string;
  push?: string;
  authorization?: string;
}

/** Payments API v1, `session_create` (POST /payments/v1/sessions) and its update body. */
export interface SessionCreateRequest {
  acquiring_channel?: 'ECOMMERCE' | 'IN_STORE' | 'TELESALES';
  billing_address?: Address;
  shipping_address?: Address;
  intent?: 'buy' | 'tokenize' | 'buy_and_tokenize';
  locale?: string;
  merchant_reference1?: string;
  merchant_reference2?: string;
  merchant_urls?: PaymentsMerchantUrls;
  order_amount: number;
  order_lines: OrderLine[];
  order_tax_amount?: number;
  purchase_country: string;
  purchase_currency: string;
}

export type SessionUpdateRequest = Partial<SessionCreateRequest>;

/** Payments API v1, `payment_method_category`. */
export interface PaymentMethodCategory {
  identifier: 'pay_later' | 'pay_over_time' | 'pay_now';
  name: string;
  asset_urls: { descriptive: string; standard: string };
}

/** Payments API v1, `merchant_session` (answer of POST /payments/v1/sessions). */
export interface SessionCreateResponse {
  session_id: string;
  client_token: string;
  payment_method_categories: PaymentMethodCategory[];
}

/** Payments API v1, `session_read` (GET /payments/v1/sessions/{session_id}). */
export interface SessionReadResponse extends SessionCreateRequest {
  client_token: string;
  expires_at: string;
  status: 'complete' | 'incomplete';
  authorization_token?: string;
  payment_method_categories: PaymentMethodCategory[];
}

/** Payments API v1, `create_order_request` (POST /payments/v1/authorizations/{token}/order). */
export interface CreateOrderRequest extends SessionCreateRequest {
  auto_capture?: boolean;
}

/** Payments API v1, `order` (answer of POST /payments/v1/authorizations/{token}/order). */
export interface CreateOrderResponse {
  order_id: string;
  redirect_url: string;
  fraud_status: FraudStatus;
  authorized_payment_method: {
    type: 'invoice' | 'fixed_amount' | 'direct_debit';
    number_of_days?: number;
    number_of_installments?: number;
  };
}

export type FraudStatus = 'ACCEPTED' | 'PENDING' | 'REJECTED';

/** HPP API v1, `MerchantUrlsV1`: `{{session_id}}`, `{{authorization_token}}`, `{{order_id}}` are filled in. */
export interface HppMerchantUrls {
  back?: string;
  cancel?: string;
  error?: string;
  failure?: string;
  status_update?: string;
  success?: string;
}

/** HPP API v1, `SessionCreationRequestV1` (POST /hpp/v1/sessions). */
export interface HppSessionCreateRequest {
  payment_session_url: string;
  merchant_urls?: HppMerchantUrls;
  options?: {
    place_order_mode?: 'NONE' | 'PLACE_ORDER' | 'CAPTURE_ORDER';
    purchase_type?: 'BUY' | 'RENT' | 'BOOK' | 'SUBSCRIBE' | 'DOWNLOAD' | 'ORDER' | 'CONTINUE';
    payment_method_categories?: PaymentMethodCategory['identifier'][];
    payment_method_category?: PaymentMethodCategory['identifier'];
    show_subtotal_detail?: 'HIDE';
    logo_url?: string;
    page_title?: string;
  };
  profile_id?: string;
}

/** HPP API v1, `SessionCreationResponseV1`. */
export interface HppSessionCreateResponse {
  session_id: string;
  redirect_url: string;
  session_url: string;
  distribution_url: string;
  qr_code_url: string;
  expires_at: string;
}

export type HppSessionStatus =
  | 'WAITING'
  | 'BACK'
  | 'IN_PROGRESS'
  | 'MANUAL_ID_CHECK'
  | 'COMPLETED'
  | 'CANCELLED'
  | 'FAILED'
  | 'DISABLED'
  | 'ERROR';

/** HPP API v1, `SessionResponseV1` (GET /hpp/v1/sessions/{session_id}). */
export interface HppSessionReadResponse {
  session_id: string;
  status: HppSessionStatus;
  updated_at: string;
  expires_at: string;
  authorization_token?: string;
  order_id?: string;
  klarna_reference?: string;
}

/** HPP API v1, status callback body ("Status callbacks": event_id and the session as read). */
export interface HppStatusCallback {
  event_id: string;
  session: HppSessionReadResponse;
}

/** Order Management API v1, `capture` body (POST /ordermanagement/v1/orders/{order_id}/captures). */
export interface CaptureRequest {
  captured_amount: number;
  description?: string;
  reference?: string;
  order_lines?: OrderLine[];
  shipping_delay?: number;
}

/** Order Management API v1, `refund` body (POST /ordermanagement/v1/orders/{order_id}/refunds). */
export interface RefundRequest {
  refunded_amount: number;
  description?: string;
  reference?: string;
  order_lines?: OrderLine[];
}

export type OrderStatus = 'AUTHORIZED' | 'PART_CAPTURED' | 'CAPTURED' | 'CANCELLED' | 'EXPIRED' | 'CLOSED';

/** Order Management API v1, `Capture` inside an order. */
export interface Capture {
  capture_id: string;
  klarna_reference: string;
  captured_amount: number;
  captured_at: string;
  description?: string;
  reference?: string;
  refunded_amount: number;
  order_lines: OrderLine[];
}

/** Order Management API v1, `Refund` inside an order. */
export interface Refund {
  refund_id: string;
  refunded_amount: number;
  refunded_at: string;
  description?: string;
  reference?: string;
  order_lines: OrderLine[];
}

/** Order Management API v1, `MerchantOrderDto` (GET /ordermanagement/v1/orders/{order_id}). */
export interface Order {
  order_id: string;
  status: OrderStatus;
  fraud_status: FraudStatus;
  order_amount: number;
  original_order_amount: number;
  captured_amount: number;
  refunded_amount: number;
  remaining_authorized_amount: number;
  purchase_currency: string;
  purchase_country: string;
  locale: string;
  order_lines: OrderLine[];
  merchant_reference1?: string;
  merchant_reference2?: string;
  klarna_reference: string;
  created_at: string;
  expires_at: string;
  billing_address?: Address;
  shipping_address?: Address;
  captures: Capture[];
  refunds: Refund[];
  initial_payment_method: { type: string; description: string; number_of_installments?: number };
}

/**
 * Pending orders push notification (docs.klarna.com, "Pending orders"): POSTed to the order's
 * `merchant_urls.notification` when a PENDING fraud review ends, retried until answered 200.
 */
export interface FraudNotification {
  order_id: string;
  event_type: 'FRAUD_RISK_ACCEPTED' | 'FRAUD_RISK_REJECTED' | 'FRAUD_RISK_STOPPED';
}
