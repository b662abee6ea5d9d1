import type { FieldName, Locale } from '../protocol.js';

/** The iframes' `title`, which screen readers announce when focus enters a frame. */
export const frameTitles: Record<Locale, Record<FieldName, string>> = {
  'en-US': {
    number: 'Secure card number input',
    expiry: 'Secure expiration date input',
    cvc: 'Secure security code input',
    holder_name: 'Secure cardholder name input',
  },
  'fr-FR': {
    number: 'Saisie sécurisée du numéro de carte',
    expiry: "Saisie sécurisée de la date d'expiration",
    cvc: 'Saisie sécurisée du cryptogramme visuel',
    holder_name: 'Saisie sécurisée du nom du titulaire',
  },
  'es-ES': {
    number: 'Campo seguro del número de tarjeta',
    expiry: 'Campo seguro de la fecha de caducidad',
    cvc: 'Campo seguro del código de seguridad',
    holder_name: 'Campo seguro del titular de la tarjeta',
  },
  'ja-JP': {
    number: 'カード番号の安全な入力欄',
    expiry: '有効期限の安全な入力欄',
    cvc: 'セキュリティコードの安全な入力欄',
    holder_name: 'カード名義人の安全な入力欄',
  },
};

/** The title of a frame holding several fields (the card). */
export const cardFrameTitles: Record<Locale, string> = {
  'en-US': 'Secure card details input',
  'fr-FR': 'Saisie sécurisée des informations de carte',
  'es-ES': 'Campos seguros de los datos de la tarjeta',
  'ja-JP': 'カード情報の安全な入力欄',
};
