import type { Locale } from './locales.js';

/**
 * Every string the checkout shows, per locale. `{amount}` and the like are filled in by `t()`.
 * Decline messages say what the shopper can do; they never blame and never reveal more than
 * the issuer said.
 */
export interface Messages {
  loading: string;
  loadFailed: string;
  methodsLabel: string;
  methodCard: string;
  /** The other methods' names in the method list (cards are `methodCard`). */
  methodNames: Record<AlternativeMethod, string>;
  cardNumber: string;
  cardExpiry: string;
  cardCvc: string;
  cardHolder: string;
  pay: string;
  paying: string;
  processing: string;
  authenticate: string;
  authenticateTitle: string;
  /** The `title` of the frame holding the bank's page. */
  authenticateFrame: string;
  /** Under the bank's page: the full-page redirect, for a bank whose page refuses to be framed. */
  authenticateElsewhere: string;
  checking: string;
  succeeded: string;
  noMethods: string;
  tryAgain: string;
  networkError: string;
  declines: Record<DeclineKey, string>;
}

/** The methods other than cards the api may offer. */
export const alternativeMethods = ['paypal', 'klarna', 'open_banking', 'bizum', 'konbini', 'paypay'] as const;
export type AlternativeMethod = (typeof alternativeMethods)[number];

export type DeclineKey =
  | 'generic_decline'
  | 'insufficient_funds'
  | 'incorrect_cvc'
  | 'incorrect_number'
  | 'expired_card'
  | 'authentication_required'
  | 'card_not_supported'
  | 'processing_error'
  | 'try_again_later';

export const catalogues: Readonly<Record<Locale, Messages>> = {
  'en-US': {
    loading: 'Loading payment options…',
    loadFailed: 'The payment form could not be loaded. Check your connection and reload the page.',
    methodsLabel: 'Payment method',
    methodCard: 'Card',
    methodNames: {
      paypal: 'PayPal',
      klarna: 'Klarna',
      open_banking: 'Pay by bank',
      bizum: 'Bizum',
      konbini: 'Convenience store (konbini)',
      paypay: 'PayPay',
    },
    cardNumber: 'Card number',
    cardExpiry: 'Expiration date',
    cardCvc: 'Security code',
    cardHolder: 'Name on card',
    pay: 'Pay {amount}',
    paying: 'Paying {amount}…',
    processing: 'Your payment is being processed. You will be told as soon as it is confirmed.',
    authenticate: 'Your bank asks you to confirm this payment.',
    authenticateTitle: 'Confirm the payment with your bank',
    authenticateFrame: "Your bank's payment confirmation page",
    authenticateElsewhere: "Having trouble? Open your bank's page",
    checking: 'Checking the payment with your bank…',
    succeeded: 'Payment of {amount} received. Thank you!',
    noMethods: 'No payment method is available for this order.',
    tryAgain: 'Try again',
    networkError: 'The connection was lost. Nothing was charged twice: try again.',
    declines: {
      generic_decline: 'Your card was declined. Try another card or contact your bank.',
      insufficient_funds: 'Your card has insufficient funds. Try another card.',
      incorrect_cvc: "The security code doesn't match. Check it and try again.",
      incorrect_number: 'The card number is not valid. Check it and try again.',
      expired_card: 'Your card has expired. Try another card.',
      authentication_required: "Your bank couldn't confirm it was you. Try again or use another card.",
      card_not_supported: "This card isn't accepted here. Try another card.",
      processing_error: 'Something went wrong while processing your card. Try again.',
      try_again_later: 'Your bank is unavailable right now. Try again in a few minutes.',
    },
  },
  'fr-FR': {
    loading: 'Chargement des moyens de paiement…',
    loadFailed:
      "Le formulaire de paiement n'a pas pu être chargé. Vérifiez votre connexion et rechargez la page.",
    methodsLabel: 'Moyen de paiement',
    methodCard: 'Carte bancaire',
    methodNames: {
      paypal: 'PayPal',
      klarna: 'Klarna',
      open_banking: 'Virement instantané',
      bizum: 'Bizum',
      konbini: 'Paiement en supérette (konbini)',
      paypay: 'PayPay',
    },
    cardNumber: 'Numéro de carte',
    cardExpiry: "Date d'expiration",
    cardCvc: 'Cryptogramme visuel',
    cardHolder: 'Nom du titulaire',
    pay: 'Payer {amount}',
    paying: 'Paiement de {amount} en cours…',
    processing: 'Votre paiement est en cours de traitement. Vous serez informé dès sa confirmation.',
    authenticate: 'Votre banque vous demande de confirmer ce paiement.',
    authenticateTitle: 'Confirmez le paiement auprès de votre banque',
    authenticateFrame: 'Page de confirmation du paiement de votre banque',
    authenticateElsewhere: 'Un problème ? Ouvrir la page de votre banque',
    checking: 'Vérification du paiement auprès de votre banque…',
    succeeded: 'Paiement de {amount} reçu. Merci !',
    noMethods: "Aucun moyen de paiement n'est disponible pour cette commande.",
    tryAgain: 'Réessayer',
    networkError: "La connexion a été interrompue. Rien n'a été débité deux fois : réessayez.",
    declines: {
      generic_decline: 'Votre carte a été refusée. Essayez une autre carte ou contactez votre banque.',
      insufficient_funds: 'Le solde de votre carte est insuffisant. Essayez une autre carte.',
      incorrect_cvc: 'Le cryptogramme visuel est incorrect. Vérifiez-le et réessayez.',
      incorrect_number: "Le numéro de carte n'est pas valide. Vérifiez-le et réessayez.",
      expired_card: 'Votre carte a expiré. Essayez une autre carte.',
      authentication_required:
        "Votre banque n'a pas pu confirmer votre identité. Réessayez ou utilisez une autre carte.",
      card_not_supported: "Cette carte n'est pas acceptée ici. Essayez une autre carte.",
      processing_error: 'Une erreur est survenue lors du traitement de votre carte. Réessayez.',
      try_again_later: 'Votre banque est momentanément indisponible. Réessayez dans quelques minutes.',
    },
  },
  'es-ES': {
    loading: 'Cargando las formas de pago…',
    loadFailed:
      'No se ha podido cargar el formulario de pago. Comprueba tu conexión y vuelve a cargar la página.',
    methodsLabel: 'Forma de pago',
    methodCard: 'Tarjeta',
    methodNames: {
      paypal: 'PayPal',
      klarna: 'Klarna',
      open_banking: 'Transferencia inmediata',
      bizum: 'Bizum',
      konbini: 'Pago en tienda (konbini)',
      paypay: 'PayPay',
    },
    cardNumber: 'Número de tarjeta',
    cardExpiry: 'Fecha de caducidad',
    cardCvc: 'Código de seguridad',
    cardHolder: 'Titular de la tarjeta',
    pay: 'Pagar {amount}',
    paying: 'Pagando {amount}…',
    processing: 'Tu pago se está procesando. Te avisaremos en cuanto se confirme.',
    authenticate: 'Tu banco te pide que confirmes este pago.',
    authenticateTitle: 'Confirma el pago con tu banco',
    authenticateFrame: 'Página de confirmación del pago de tu banco',
    authenticateElsewhere: '¿Algún problema? Abre la página de tu banco',
    checking: 'Comprobando el pago con tu banco…',
    succeeded: 'Pago de {amount} recibido. ¡Gracias!',
    noMethods: 'No hay ninguna forma de pago disponible para este pedido.',
    tryAgain: 'Reintentar',
    networkError: 'Se ha perdido la conexión. No se ha cobrado nada dos veces: vuelve a intentarlo.',
    declines: {
      generic_decline: 'Tu tarjeta ha sido rechazada. Prueba con otra tarjeta o contacta con tu banco.',
      insufficient_funds: 'Tu tarjeta no tiene saldo suficiente. Prueba con otra tarjeta.',
      incorrect_cvc: 'El código de seguridad no es correcto. Revísalo y vuelve a intentarlo.',
      incorrect_number: 'El número de tarjeta no es válido. Revísalo y vuelve a intentarlo.',
      expired_card: 'Tu tarjeta ha caducado. Prueba con otra tarjeta.',
      authentication_required:
        'Tu banco no ha podido confirmar tu identidad. Vuelve a intentarlo o usa otra tarjeta.',
      card_not_supported: 'Esta tarjeta no se acepta aquí. Prueba con otra tarjeta.',
      processing_error: 'Se ha producido un error al procesar tu tarjeta. Vuelve a intentarlo.',
      try_again_later: 'Tu banco no está disponible en este momento. Vuelve a intentarlo en unos minutos.',
    },
  },
  'ja-JP': {
    loading: 'お支払い方法を読み込んでいます…',
    loadFailed: 'お支払いフォームを読み込めませんでした。接続を確認して、ページを再読み込みしてください。',
    methodsLabel: 'お支払い方法',
    methodCard: 'クレジットカード',
    methodNames: {
      paypal: 'PayPal',
      klarna: 'Klarna',
      open_banking: 'オープンバンキング',
      bizum: 'Bizum',
      konbini: 'コンビニ払い',
      paypay: 'PayPay',
    },
    cardNumber: 'カード番号',
    cardExpiry: '有効期限',
    cardCvc: 'セキュリティコード',
    cardHolder: 'カード名義人',
    pay: '{amount}を支払う',
    paying: '{amount}をお支払い中…',
    processing: 'お支払いを処理しています。確認され次第お知らせします。',
    authenticate: 'カード会社がこのお支払いの確認を求めています。',
    authenticateTitle: 'カード会社でお支払いを確認してください',
    authenticateFrame: 'カード会社のお支払い確認ページ',
    authenticateElsewhere: 'うまくいかない場合は、カード会社のページを開く',
    checking: 'カード会社にお支払いを確認しています…',
    succeeded: '{amount}のお支払いを受け付けました。ありがとうございました。',
    noMethods: 'このご注文にご利用いただけるお支払い方法がありません。',
    tryAgain: 'もう一度試す',
    networkError: '接続が切れました。二重に請求されることはありません。もう一度お試しください。',
    declines: {
      generic_decline:
        'カードが承認されませんでした。別のカードをお試しいただくか、カード会社にお問い合わせください。',
      insufficient_funds: 'カードの利用可能額が不足しています。別のカードをお試しください。',
      incorrect_cvc: 'セキュリティコードが正しくありません。確認してもう一度お試しください。',
      incorrect_number: 'カード番号が正しくありません。確認してもう一度お試しください。',
      expired_card: 'カードの有効期限が切れています。別のカードをお試しください。',
      authentication_required:
        'カード会社で本人確認ができませんでした。もう一度お試しいただくか、別のカードをご利用ください。',
      card_not_supported: 'このカードはご利用いただけません。別のカードをお試しください。',
      processing_error: 'カードの処理中にエラーが発生しました。もう一度お試しください。',
      try_again_later: 'カード会社が現在ご利用いただけません。数分後にもう一度お試しください。',
    },
  },
};
