/** The hosted payment page's words, one catalogue per locale it speaks. */
const catalogues = {
  en: {
    payTitle: 'Pay by bank',
    amountLabel: 'Amount to pay',
    chooseBank: 'Choose your bank',
    noBank: 'No bank is available for this payment.',
    continue: 'Continue',
    cancel: 'Cancel payment',
    consentTitle: 'Authorise this payment',
    consentIntro: 'Your bank asks you to confirm this payment.',
    authorise: 'Authorise',
    testControls: 'Test controls (emulator)',
    bankRefuses: 'Bank refuses the payment',
    authorisationFails: 'Authorisation fails',
    closedTitle: 'This payment can no longer be authorised',
    status: 'Status',
    back: 'Back to the merchant',
    errorTitle: 'This payment link is not valid',
  },
  fr: {
    payTitle: 'Payer par virement',
    amountLabel: 'Montant à payer',
    chooseBank: 'Choisissez votre banque',
    noBank: 'Aucune banque n’est disponible pour ce paiement.',
    continue: 'Continuer',
    cancel: 'Annuler le paiement',
    consentTitle: 'Autoriser ce paiement',
    consentIntro: 'Votre banque vous demande de confirmer ce paiement.',
    authorise: 'Autoriser',
    testControls: 'Commandes de test (émulateur)',
    bankRefuses: 'La banque refuse le paiement',
    authorisationFails: 'L’autorisation échoue',
    closedTitle: 'Ce paiement ne peut plus être autorisé',
    status: 'Statut',
    back: 'Retour au marchand',
    errorTitle: 'Ce lien de paiement n’est pas valide',
  },
  es: {
    payTitle: 'Pagar con tu banco',
    amountLabel: 'Importe a pagar',
    chooseBank: 'Elige tu banco',
    noBank: 'No hay ningún banco disponible para este pago.',
    continue: 'Continuar',
    cancel: 'Cancelar el pago',
    consentTitle: 'Autorizar este pago',
    consentIntro: 'Tu banco te pide que confirmes este pago.',
    authorise: 'Autorizar',
    testControls: 'Controles de prueba (emulador)',
    bankRefuses: 'El banco rechaza el pago',
    authorisationFails: 'La autorización falla',
    closedTitle: 'Este pago ya no se puede autorizar',
    status: 'Estado',
    back: 'Volver al comercio',
    errorTitle: 'Este enlace de pago no es válido',
  },
} as const;

export type Locale = keyof typeof catalogues;
export type Messages = (typeof catalogues)[Locale];

const supported = (tag: string | undefined): Locale | undefined => {
  const language = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return language && language in catalogues ? (language as Locale) : undefined;
};

/** The page's language: the `locale` query parameter, else the browser's Accept-Language, else English. */
export function localeOf(query: string | undefined, acceptLanguage: string | undefined): Locale {
  const fromQuery = supported(query);
  if (fromQuery) return fromQuery;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, q] = part.split(';q=');
      return { tag, q: q === undefined ? 1 : Number(q) };
    })
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    const locale = supported(tag);
    if (locale) return locale;
  }
  return 'en';
}

export const messagesFor = (locale: Locale): Messages => catalogues[locale];
