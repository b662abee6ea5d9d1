import type { AlternativeMethod } from './catalogues.js';
import type { Locale } from './locales.js';

/**
 * The strings of the methods other than cards: their panels, the voucher and the messages of a
 * shopper back from a provider's page. Loaded with the panels (`src/vue/methods/`), never with
 * the card form. `{amount}`, `{method}` and `{deadline}` are filled in by `tm()`.
 */
export interface MethodMessages {
  /** What happens with the method, above its fields. */
  intro: Record<AlternativeMethod, string>;
  /** Its pay button. */
  continue: Record<AlternativeMethod, string>;
  /** The status line while the window goes to the provider's page. */
  leaving: Record<AlternativeMethod, string>;
  /** Back on the page with the provider's page not finished. */
  unfinished: string;
  fieldName: string;
  fieldEmail: string;
  fieldPhone: string;
  fieldAddressLine1: string;
  fieldPostalCode: string;
  fieldCity: string;
  /** Under the e-mail and the phone of a konbini voucher: where the payment number goes. */
  voucherContactHint: string;
  requiredName: string;
  requiredEmail: string;
  invalidEmail: string;
  requiredPhone: string;
  invalidPhone: string;
  requiredAddressLine1: string;
  requiredPostalCode: string;
  requiredCity: string;
  voucherTitle: string;
  voucherIntro: string;
  voucherReference: string;
  voucherAmount: string;
  voucherDeadline: string;
  voucherStore: string;
  voucherInstructions: string;
  voucherClose: string;
  /** A shopper back from the provider, and the payment not made: nothing blames them. */
  canceledByShopper: string;
  paymentDeclined: string;
  paymentExpired: string;
  methodUnavailable: string;
}

export const methodCatalogues: Readonly<Record<Locale, MethodMessages>> = {
  'en-US': {
    intro: {
      paypal: "You'll log in to PayPal to pay {amount}, then come back here.",
      klarna:
        "On Klarna's page, choose how you'd like to pay {amount}. Klarna decides on your request there.",
      open_banking:
        'Pay {amount} straight from your bank account: choose your bank, then approve the payment in its app or website. No card needed.',
      bizum: "You'll confirm the payment of {amount} with Bizum, in your bank's app.",
      konbini:
        "You'll get a payment number to pay {amount} in cash at a convenience store (7-Eleven, Lawson, FamilyMart…) before the deadline.",
      paypay: "You'll confirm the payment of {amount} in the PayPay app.",
    },
    continue: {
      paypal: 'Continue with PayPal',
      klarna: 'Continue with Klarna',
      open_banking: 'Continue to your bank',
      bizum: 'Continue with Bizum',
      konbini: 'Pay at a convenience store',
      paypay: 'Continue with PayPay',
    },
    leaving: {
      paypal: 'Taking you to PayPal…',
      klarna: 'Taking you to Klarna…',
      open_banking: 'Taking you to your bank…',
      bizum: 'Taking you to Bizum…',
      konbini: 'Getting your payment number…',
      paypay: 'Taking you to PayPay…',
    },
    unfinished: "The payment with {method} isn't finished yet.",
    fieldName: 'Full name',
    fieldEmail: 'Email',
    fieldPhone: 'Phone number',
    fieldAddressLine1: 'Address',
    fieldPostalCode: 'ZIP code',
    fieldCity: 'City',
    voucherContactHint: 'The store chain sends your payment number here.',
    requiredName: 'Enter your full name.',
    requiredEmail: 'Enter your email address.',
    invalidEmail: 'Enter an email address like name@example.com.',
    requiredPhone: 'Enter your phone number.',
    invalidPhone: 'Enter a phone number with digits only, like 090 1234 5678.',
    requiredAddressLine1: 'Enter your address.',
    requiredPostalCode: 'Enter your ZIP code.',
    requiredCity: 'Enter your city.',
    voucherTitle: 'Pay at a convenience store',
    voucherIntro: 'Give this payment number at the store and pay {amount} in cash before {deadline}.',
    voucherReference: 'Payment number',
    voucherAmount: 'Amount',
    voucherDeadline: 'Pay by',
    voucherStore: 'Store',
    voucherInstructions: 'How to pay at the store',
    voucherClose: 'You can close this page: your order is confirmed as soon as the store has your payment.',
    canceledByShopper:
      'The payment with {method} was canceled. Nothing was charged: try again or choose another method.',
    paymentDeclined:
      "{method} couldn't accept this payment. Nothing was charged: choose another method or try again.",
    paymentExpired: 'The time to pay with {method} has run out. Nothing was charged: you can start again.',
    methodUnavailable: "{method} isn't available for this order. Choose another method.",
  },
  'fr-FR': {
    intro: {
      paypal: 'Vous vous connecterez à PayPal pour payer {amount}, puis vous reviendrez ici.',
      klarna: 'Sur la page de Klarna, choisissez comment payer {amount}. Klarna y donne sa réponse.',
      open_banking:
        'Payez {amount} directement depuis votre compte bancaire : choisissez votre banque, puis validez le paiement dans son application ou sur son site. Aucune carte nécessaire.',
      bizum: "Vous confirmerez le paiement de {amount} avec Bizum, dans l'application de votre banque.",
      konbini:
        "Vous recevrez un numéro de paiement pour régler {amount} en espèces dans une supérette (7-Eleven, Lawson, FamilyMart…) avant l'échéance.",
      paypay: "Vous confirmerez le paiement de {amount} dans l'application PayPay.",
    },
    continue: {
      paypal: 'Continuer avec PayPal',
      klarna: 'Continuer avec Klarna',
      open_banking: 'Continuer vers ma banque',
      bizum: 'Continuer avec Bizum',
      konbini: 'Payer en supérette',
      paypay: 'Continuer avec PayPay',
    },
    leaving: {
      paypal: 'Redirection vers PayPal…',
      klarna: 'Redirection vers Klarna…',
      open_banking: 'Redirection vers votre banque…',
      bizum: 'Redirection vers Bizum…',
      konbini: 'Création de votre numéro de paiement…',
      paypay: 'Redirection vers PayPay…',
    },
    unfinished: "Le paiement avec {method} n'est pas encore terminé.",
    fieldName: 'Nom complet',
    fieldEmail: 'E-mail',
    fieldPhone: 'Téléphone',
    fieldAddressLine1: 'Adresse',
    fieldPostalCode: 'Code postal',
    fieldCity: 'Ville',
    voucherContactHint: "L'enseigne vous envoie ici votre numéro de paiement.",
    requiredName: 'Saisissez votre nom complet.',
    requiredEmail: 'Saisissez votre adresse e-mail.',
    invalidEmail: 'Saisissez une adresse e-mail comme nom@exemple.fr.',
    requiredPhone: 'Saisissez votre numéro de téléphone.',
    invalidPhone: 'Saisissez un numéro de téléphone en chiffres, comme 06 12 34 56 78.',
    requiredAddressLine1: 'Saisissez votre adresse.',
    requiredPostalCode: 'Saisissez votre code postal.',
    requiredCity: 'Saisissez votre ville.',
    voucherTitle: 'Payer en supérette',
    voucherIntro:
      'Donnez ce numéro de paiement en magasin et réglez {amount} en espèces avant le {deadline}.',
    voucherReference: 'Numéro de paiement',
    voucherAmount: 'Montant',
    voucherDeadline: 'À payer avant le',
    voucherStore: 'Magasin',
    voucherInstructions: 'Comment payer en magasin',
    voucherClose:
      'Vous pouvez fermer cette page : votre commande est confirmée dès que le magasin a reçu votre paiement.',
    canceledByShopper:
      "Le paiement avec {method} a été annulé. Rien n'a été débité : réessayez ou choisissez un autre moyen de paiement.",
    paymentDeclined:
      "{method} n'a pas pu accepter ce paiement. Rien n'a été débité : choisissez un autre moyen de paiement ou réessayez.",
    paymentExpired:
      "Le délai pour payer avec {method} est dépassé. Rien n'a été débité : vous pouvez recommencer.",
    methodUnavailable:
      "{method} n'est pas disponible pour cette commande. Choisissez un autre moyen de paiement.",
  },
  'es-ES': {
    intro: {
      paypal: 'Iniciarás sesión en PayPal para pagar {amount} y después volverás aquí.',
      klarna: 'En la página de Klarna, elige cómo quieres pagar {amount}. Klarna te dará allí su respuesta.',
      open_banking:
        'Paga {amount} directamente desde tu cuenta bancaria: elige tu banco y autoriza el pago en su app o en su web. Sin tarjeta.',
      bizum: 'Confirmarás el pago de {amount} con Bizum, en la app de tu banco.',
      konbini:
        'Recibirás un número de pago para abonar {amount} en efectivo en una tienda de conveniencia (7-Eleven, Lawson, FamilyMart…) antes de la fecha límite.',
      paypay: 'Confirmarás el pago de {amount} en la app de PayPay.',
    },
    continue: {
      paypal: 'Continuar con PayPal',
      klarna: 'Continuar con Klarna',
      open_banking: 'Continuar a mi banco',
      bizum: 'Continuar con Bizum',
      konbini: 'Pagar en tienda',
      paypay: 'Continuar con PayPay',
    },
    leaving: {
      paypal: 'Te llevamos a PayPal…',
      klarna: 'Te llevamos a Klarna…',
      open_banking: 'Te llevamos a tu banco…',
      bizum: 'Te llevamos a Bizum…',
      konbini: 'Generando tu número de pago…',
      paypay: 'Te llevamos a PayPay…',
    },
    unfinished: 'El pago con {method} aún no ha terminado.',
    fieldName: 'Nombre y apellidos',
    fieldEmail: 'Correo electrónico',
    fieldPhone: 'Teléfono',
    fieldAddressLine1: 'Dirección',
    fieldPostalCode: 'Código postal',
    fieldCity: 'Ciudad',
    voucherContactHint: 'La cadena de tiendas te envía aquí tu número de pago.',
    requiredName: 'Escribe tu nombre y apellidos.',
    requiredEmail: 'Escribe tu correo electrónico.',
    invalidEmail: 'Escribe un correo electrónico como nombre@ejemplo.es.',
    requiredPhone: 'Escribe tu número de teléfono.',
    invalidPhone: 'Escribe un número de teléfono solo con cifras, como 612 345 678.',
    requiredAddressLine1: 'Escribe tu dirección.',
    requiredPostalCode: 'Escribe tu código postal.',
    requiredCity: 'Escribe tu ciudad.',
    voucherTitle: 'Pagar en tienda',
    voucherIntro: 'Da este número de pago en la tienda y paga {amount} en efectivo antes del {deadline}.',
    voucherReference: 'Número de pago',
    voucherAmount: 'Importe',
    voucherDeadline: 'Fecha límite',
    voucherStore: 'Tienda',
    voucherInstructions: 'Cómo pagar en la tienda',
    voucherClose: 'Puedes cerrar esta página: tu pedido se confirmará en cuanto la tienda reciba el pago.',
    canceledByShopper:
      'Se ha cancelado el pago con {method}. No se ha cobrado nada: vuelve a intentarlo o elige otra forma de pago.',
    paymentDeclined:
      '{method} no ha podido aceptar este pago. No se ha cobrado nada: elige otra forma de pago o vuelve a intentarlo.',
    paymentExpired:
      'Se ha agotado el plazo para pagar con {method}. No se ha cobrado nada: puedes empezar de nuevo.',
    methodUnavailable: '{method} no está disponible para este pedido. Elige otra forma de pago.',
  },
  'ja-JP': {
    intro: {
      paypal: 'PayPalにログインして{amount}をお支払いいただき、その後このページに戻ります。',
      klarna:
        'Klarnaのページで{amount}のお支払い方法をお選びください。審査結果はKlarnaのページで表示されます。',
      open_banking:
        'お使いの銀行口座から{amount}を直接お支払いいただけます。銀行を選び、銀行のアプリまたはウェブサイトでお支払いを承認してください。カードは不要です。',
      bizum: '銀行のアプリで、Bizumによる{amount}のお支払いを確認します。',
      konbini:
        'お支払い番号を発行します。お支払い期限までに、コンビニ（セブン-イレブン、ローソン、ファミリーマートなど）で{amount}を現金でお支払いください。',
      paypay: 'PayPayアプリで{amount}のお支払いを確認します。',
    },
    continue: {
      paypal: 'PayPalで続ける',
      klarna: 'Klarnaで続ける',
      open_banking: '銀行のページへ進む',
      bizum: 'Bizumで続ける',
      konbini: 'コンビニで支払う',
      paypay: 'PayPayで続ける',
    },
    leaving: {
      paypal: 'PayPalに移動しています…',
      klarna: 'Klarnaに移動しています…',
      open_banking: '銀行のページに移動しています…',
      bizum: 'Bizumに移動しています…',
      konbini: 'お支払い番号を発行しています…',
      paypay: 'PayPayに移動しています…',
    },
    unfinished: '{method}でのお支払いはまだ完了していません。',
    fieldName: '氏名',
    fieldEmail: 'メールアドレス',
    fieldPhone: '電話番号',
    fieldAddressLine1: '住所',
    fieldPostalCode: '郵便番号',
    fieldCity: '市区町村',
    voucherContactHint: 'お支払い番号はこちらに送信されます。',
    requiredName: '氏名を入力してください。',
    requiredEmail: 'メールアドレスを入力してください。',
    invalidEmail: 'メールアドレスを name@example.jp の形式で入力してください。',
    requiredPhone: '電話番号を入力してください。',
    invalidPhone: '電話番号を数字で入力してください（例：090 1234 5678）。',
    requiredAddressLine1: '住所を入力してください。',
    requiredPostalCode: '郵便番号を入力してください。',
    requiredCity: '市区町村を入力してください。',
    voucherTitle: 'コンビニでのお支払い',
    voucherIntro: '{deadline}までに、店頭でこのお支払い番号を伝え、{amount}を現金でお支払いください。',
    voucherReference: 'お支払い番号',
    voucherAmount: '金額',
    voucherDeadline: 'お支払い期限',
    voucherStore: 'お支払い先',
    voucherInstructions: '店頭でのお支払い方法',
    voucherClose: 'このページは閉じても問題ありません。お支払いが確認され次第、ご注文が確定します。',
    canceledByShopper:
      '{method}でのお支払いはキャンセルされました。料金は請求されていません。もう一度お試しいただくか、別のお支払い方法をお選びください。',
    paymentDeclined:
      '{method}でこのお支払いをお受けできませんでした。料金は請求されていません。別のお支払い方法をお選びいただくか、もう一度お試しください。',
    paymentExpired:
      '{method}のお支払い期限が過ぎました。料金は請求されていません。もう一度最初からお手続きいただけます。',
    methodUnavailable: 'このご注文では{method}をご利用いただけません。別のお支払い方法をお選びください。',
  },
};

type MethodTextKey = {
  [K in keyof MethodMessages]: MethodMessages[K] extends string ? K : never;
}[keyof MethodMessages];

/** A method message with its `{placeholders}` filled in. */
export function tm(locale: Locale, key: MethodTextKey, values: Record<string, string> = {}): string {
  return fill(methodCatalogues[locale][key], values);
}

export function fill(message: string, values: Record<string, string>): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

const failureKeys: Readonly<Record<string, MethodTextKey>> = {
  canceled_by_shopper: 'canceledByShopper',
  payment_declined: 'paymentDeclined',
  payment_expired: 'paymentExpired',
  payment_method_unavailable: 'methodUnavailable',
};

/** payin's codes for a method's payment not made, as the shopper is told; undefined for others. */
export function methodFailureMessage(locale: Locale, code: string, method: string): string | undefined {
  const key = failureKeys[code];
  return key ? tm(locale, key, { method }) : undefined;
}
