import type { AuthorizationOutcome, AuthorizeRequest } from '@payin/core';
import type { PaymentDetailsResponse, PaymentRequest, PaymentResponse } from '@payin/provider-wire/adyen';
import type { AdyenAccount } from './account.js';
import { declineFor } from './errors.js';
import { localAction, localRefusal } from './local-methods.js';

/**
 * The card fields of a payment as vault placeholders: the request goes through the vault's
 * proxy, which puts the card in; payin never holds it (docs.adyen.com: raw card data,
 * `paymentMethod.type: "scheme"`, for PCI-compliant merchants). The CVC (used once, kept ten
 * minutes) and the holder name (optional when tokenizing) are optional placeholders: the vault
 * leaves out the one a token lacks.
 */
export function cardPlaceholders(tokenId: string, opts: CardFields) {
  return {
    type: 'scheme' as const,
    number: `{{${tokenId}.number}}`,
    expiryMonth: `{{${tokenId}.exp_month}}`,
    expiryYear: `{{${tokenId}.exp_year}}`,
    ...(opts.cvc ? { cvc: `{{${tokenId}.cvc?}}` } : {}),
    holderName: `{{${tokenId}.holder_name?}}`,
  };
}

/** Whether the request asks for the token's CVC: not when resending one Adyen may have taken. */
export interface CardFields {
  cvc: boolean;
}

/**
 * payin's authorisation as Adyen's `POST /payments`. The attempt id is the merchant reference:
 * webhooks name it back, which ties each notification to its attempt. Manual capture is asked
 * per payment (`additionalData.manualCapture`); 3-D Secure runs as a redirect to the issuer's
 * page that returns to `returnUrl`.
 */
export function paymentRequest(
  req: AuthorizeRequest,
  account: Pick<AdyenAccount, 'merchantAccount'>,
  opts: CardFields,
): PaymentRequest {
  return {
    merchantAccount: account.merchantAccount,
    reference: req.attemptId,
    amount: { value: req.amount, currency: req.currency },
    paymentMethod: cardPlaceholders(req.paymentMethod, opts),
    returnUrl: req.providerReturnUrl,
    channel: 'Web',
    shopperInteraction: 'Ecommerce',
    ...(req.country ? { countryCode: req.country } : {}),
    ...(req.capture ? {} : { additionalData: { manualCapture: 'true' } }),
    // Redirect 3-D Secure: the native flow needs Adyen's SDK in the shopper's browser.
    authenticationData: { authenticationOnly: false, threeDSRequestData: { nativeThreeDS: 'disabled' } },
  };
}

/**
 * Adyen's answer as payin's outcome. Only what Adyen states is concluded: `Received` and
 * `Pending` say Adyen took the payment and the AUTHORISATION webhook will tell its outcome
 * (`processing`), and a result code payin does not know is never read as a failure.
 */
export function authorizationOutcome(
  res: PaymentResponse | PaymentDetailsResponse,
  capture: boolean,
  /** Adyen's method type, for a local method (`bizum`, `econtext_stores`); cards: undefined. */
  localType?: string,
): AuthorizationOutcome {
  const providerReference = res.pspReference;
  const ref = providerReference ? { providerReference } : {};
  switch (res.resultCode) {
    case 'Authorised':
      if (!providerReference) return { status: 'unknown', reason: 'Adyen authorised without a pspReference' };
      return { status: capture ? 'captured' : 'authorized', providerReference };
    case 'Refused':
    case 'Cancelled': {
      if (localType) return { status: 'failed', ...ref, error: localRefusal(res.resultCode, localType) };
      const decline = declineFor(res.refusalReasonCode);
      return {
        status: 'failed',
        ...ref,
        error: {
          code: decline.code,
          declineCode: decline.declineCode,
          message: res.resultCode === 'Cancelled' ? 'The payment was cancelled.' : 'The card was declined.',
        },
      };
    }
    case 'Received':
    case 'Pending':
      // Without a reference the webhook could not be matched: not even "taken" is known.
      if (!providerReference)
        return { status: 'unknown', reason: `Adyen answered ${res.resultCode} without a pspReference` };
      return { status: 'processing', providerReference };
    case 'Error':
      return {
        status: 'failed',
        ...ref,
        error: { code: 'processing_error', message: 'The provider could not process the card. Try again.' },
      };
    case 'PresentToShopper':
    case 'RedirectShopper':
    case 'ChallengeShopper':
    case 'IdentifyShopper': {
      const action = 'action' in res ? res.action : undefined;
      if (localType) {
        const local = localAction(action);
        if (!local || !providerReference)
          return {
            status: 'unknown',
            ...ref,
            reason: `Adyen answered ${res.resultCode} without an action payin can follow`,
          };
        return { status: 'requires_action', providerReference, action: local };
      }
      const url = action && 'url' in action ? action.url : undefined;
      if (!url)
        return {
          status: 'unknown',
          ...ref,
          reason: `Adyen asked for ${res.resultCode} without a redirect URL`,
        };
      return { status: 'requires_action', ...ref, action: { type: 'redirect_to_url', url } };
    }
    default:
      return { status: 'unknown', ...ref, reason: `Adyen answered resultCode ${res.resultCode ?? '(none)'}` };
  }
}
