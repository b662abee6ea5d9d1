import type { Scope } from './records.js';
import type { StoreReader } from './store.js';

/**
 * What core needs from a payment provider. Each provider lives in packages/connectors/<name>/
 * and implements this; core never knows a provider's wire format.
 *
 * Rules every connector follows:
 * - every call carries `idempotencyKey`, stable across retries of the same operation, and
 *   passes it to the provider so a retry never charges twice;
 * - an outcome the connector could not learn (timeout, cut connection, 5xx after sending) is
 *   returned as `unknown`, never guessed as a failure; a thrown error is treated the same way.
 */
export interface ConnectorCapabilities {
  paymentMethodTypes: readonly string[];
  /** ISO 3166 alpha-2 codes, or '*' for all. */
  countries: readonly string[] | '*';
  currencies: readonly string[] | '*';
  manualCapture: boolean;
  partialCapture: boolean;
  multipleCaptures: boolean;
  partialRefund: boolean;
  /** true when the provider answers status inquiries (`status`). */
  statusInquiry: boolean;
  testModeOnly: boolean;
}

/**
 * Why an attempt failed. Besides the card codes, every method may fail with
 * `payment_declined` (the provider or the shopper's bank refused), `canceled_by_shopper` (they
 * left the provider's page or cancelled there) and `payment_expired` (a voucher or a bank
 * authorisation not completed in time).
 */
export interface ProviderError {
  /** payin's error code: card_declined, processing_error, authentication_failed, payment_declined, … */
  code: string;
  declineCode?: string;
  message: string;
}

/** A postal address as shoppers give it; every part optional, `country` ISO 3166 alpha-2. */
export interface BillingAddress {
  line1?: string;
  line2?: string;
  city?: string;
  postal_code?: string;
  state?: string;
  country?: string;
}

/**
 * Who pays, for methods whose provider needs to know: TrueLayer the payer's name and e-mail,
 * Klarna the billing address and e-mail, a konbini voucher name, e-mail and phone.
 */
export interface BillingDetails {
  name?: string;
  email?: string;
  phone?: string;
  address?: BillingAddress;
}

export interface PaymentMethodDetails {
  type: string;
  billing_details?: BillingDetails;
  card?: {
    brand: string;
    last4: string;
    exp_month?: number;
    exp_year?: number;
    country?: string | null;
    funding?: string | null;
    /** Same card, same value, for one merchant (the vault's keyed HMAC of the number). */
    fingerprint?: string;
  };
}

/** What a connector may know of a tokenized card besides its token: brand and last four. */
export interface CardSummary {
  brand: string;
  last4: string;
}

export interface NextActionRedirect {
  type: 'redirect_to_url';
  url: string;
  /**
   * POST: the shopper's browser must post `data` to `url` as a form (Adyen's Bizum). payin's
   * own redirect page does it, so the API still gives one URL to follow.
   */
  method?: 'GET' | 'POST';
  data?: Record<string, string>;
}

/** A voucher the shopper pays later, in cash at a store (konbini), before its deadline. */
export interface NextActionVoucher {
  type: 'display_voucher';
  /** What the shopper gives the store's terminal or cashier (Adyen's `reference`). */
  reference: string;
  /** unix ms; unpaid by then, the payment fails with `payment_expired`. */
  expiresAt: number;
  /** The provider's page with the voucher and how to pay it, when it has one. */
  instructionsUrl?: string | null;
  /** Which chain the voucher is for, when it is for one (`seven_eleven`). */
  store?: string | null;
}

/** What the shopper must do before the provider can decide. */
export type ConnectorAction = NextActionRedirect | NextActionVoucher;

export type AuthorizationOutcome =
  | {
      status: 'authorized' | 'captured';
      providerReference: string;
      paymentMethodDetails?: PaymentMethodDetails;
    }
  | { status: 'requires_action'; providerReference?: string; action: ConnectorAction }
  /**
   * The provider took the payment and will tell its outcome later (Adyen's `Received`, a bank
   * transfer executing, a payment under the provider's review): known to be on its way, unlike
   * `unknown`. The payment is `processing` until a webhook or a status inquiry settles it.
   */
  | { status: 'processing'; providerReference: string }
  | { status: 'failed'; providerReference?: string; error: ProviderError }
  | { status: 'unknown'; providerReference?: string; reason: string };

export interface AuthorizeRequest {
  attemptId: string;
  paymentId: string;
  /** Whose card token it is: the vault fills card placeholders only in the merchant's scope. */
  merchantId: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  capture: boolean;
  /** A vault token, a sandbox test method, or a method type (`paypal`, `konbini`, …). */
  paymentMethod: string;
  /** card, paypal, klarna, open_banking, bizum, konbini or paypay. */
  paymentMethodType: string;
  /** For a vault token (`tok_…`): the card's brand and last four. */
  card?: CardSummary | null;
  /** What the shopper gave about themselves, for methods that need it. */
  billingDetails?: BillingDetails | null;
  /**
   * Where the provider sends the shopper back to payin after a redirect (3DS, wallets, banks).
   * A connector may add query parameters of its own (`?outcome=cancel`): they come back to
   * `completeAction` with the provider's.
   */
  providerReturnUrl: string;
  /**
   * payin's return URL for a provider that sends shoppers back only to URLs registered in
   * advance (TrueLayer's Console): the same for every attempt of the account. The connector then
   * tells which attempt came back (`attemptOfReturn`). Null for the sandbox.
   */
  accountReturnUrl?: string | null;
  country?: string | null;
  reference?: string | null;
  /** The merchant's description of the purchase, for a provider that shows the shopper one. */
  description?: string | null;
  /** The shopper's language for the provider's pages (BCP 47: `fr-FR`), from the payment's market. */
  locale: string;
  livemode: boolean;
}

export interface AttemptRef {
  attemptId: string;
  paymentId: string;
  providerReference: string | null;
  paymentMethod: string;
  card?: CardSummary | null;
  capture: boolean;
  amount: number;
  currency: string;
  /** unix ms the attempt started */
  startedAt: number;
}

export type ModificationOutcome =
  | { status: 'succeeded' | 'pending'; providerReference?: string }
  | { status: 'failed'; reason: string }
  | { status: 'unknown'; reason: string };

export interface CaptureRequest {
  attempt: AttemptRef;
  captureId: string;
  idempotencyKey: string;
  amount: number;
  final: boolean;
}

export interface RefundRequest {
  attempt: AttemptRef;
  refundId: string;
  idempotencyKey: string;
  amount: number;
  currency: string;
  reason?: string | null;
}

export interface CancelRequest {
  attempt: AttemptRef;
  idempotencyKey: string;
}

export type StatusOutcome = AuthorizationOutcome | { status: 'pending' };

export interface Connector {
  readonly name: string;
  readonly capabilities: ConnectorCapabilities;
  authorize(req: AuthorizeRequest): Promise<AuthorizationOutcome>;
  /** The shopper came back from a redirect; `params` are the query/body the provider sent. */
  completeAction(attempt: AttemptRef, params: Record<string, string>): Promise<AuthorizationOutcome>;
  capture(req: CaptureRequest): Promise<ModificationOutcome>;
  cancel(req: CancelRequest): Promise<ModificationOutcome>;
  refund(req: RefundRequest): Promise<ModificationOutcome>;
  /** Asks the provider what became of an attempt whose outcome is unknown. */
  status(attempt: AttemptRef): Promise<StatusOutcome>;
  /**
   * For a shopper back at the account's return URL: payin's attempt, from what the provider
   * says of the payment the query names (never from the query alone: the browser could change it).
   */
  attemptOfReturn?(params: Record<string, string>): Promise<string | undefined>;
}

/** A connector chosen for a payment, and the merchant's account at the provider it goes through. */
export interface RoutedConnector {
  connector: Connector;
  /** The connector account (`ca_…`), or null for a built-in connector (the sandbox). */
  account: string | null;
}

/**
 * What a provider's notification (webhook) says, in payin's terms. Each names payin's own id
 * as the provider echoes it back (the merchant reference payin sent).
 */
export type ProviderFact =
  | {
      kind: 'authorization';
      attemptId: string;
      providerReference: string;
      succeeded: boolean;
      /** Why it was refused, for a failure. */
      error?: ProviderError;
    }
  | { kind: 'capture'; captureId: string; providerReference: string; succeeded: boolean; reason?: string }
  | { kind: 'refund'; refundId: string; providerReference: string; succeeded: boolean; reason?: string }
  | { kind: 'cancellation'; attemptId: string; providerReference: string; succeeded: boolean }
  /** A notification payin acts on no further (a report, or an event of another kind). */
  | { kind: 'ignored'; description: string };

export interface ConnectorRegistry {
  /**
   * The connector that takes `paymentMethod` for this merchant and mode, or undefined. `reader`
   * is the caller's transaction, when there is one: accounts are read through it (on embedded
   * PGlite a read through the pool would wait for the transaction, which waits for the read).
   */
  forPayment(
    input: { merchantId: string; livemode: boolean; paymentMethod: string },
    reader?: Pick<StoreReader, 'connectorAccountsOf'>,
  ): Promise<RoutedConnector | undefined>;
  /**
   * Whether this merchant and mode can be paid with a method type (`card`, …): an account of
   * theirs takes it, or the sandbox does in test mode. What the browser checkout offers.
   */
  takes(scope: Scope, type: string): Promise<boolean>;
  /** The connector (and account) an attempt went through: its captures, refunds and voids go there too. */
  forAttempt(attempt: { connector: string; connectorAccount: string | null }): Promise<Connector | undefined>;
  /** A stored notification of `connector` read as a fact; undefined when it cannot be read. */
  factOf(connector: string, payload: unknown): ProviderFact | undefined;
  /** Forgets what it remembers of a scope's connector accounts, and of one account (added, changed or removed). */
  invalidate?(scope: Scope, accountId?: string): void;
}
