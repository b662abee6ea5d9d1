import type { CategoryId } from './state.js';

/** The hosted page's strings, one catalogue per language; other locales get English (lang="en"). */
export interface PageMessages {
  title: string;
  heading: string;
  total: string;
  method: string;
  categories: Record<CategoryId, string>;
  pay: string;
  cancel: string;
  back: string;
  testControls: string;
  refuse: string;
  error: string;
  unavailable: string;
  done: Record<'COMPLETED' | 'CANCELLED' | 'FAILED' | 'BACK' | 'ERROR', string>;
}

const en: PageMessages = {
  title: 'Pay with Klarna',
  heading: 'Pay with Klarna',
  total: 'Total',
  method: 'How do you want to pay?',
  categories: { pay_later: 'Pay later', pay_over_time: 'Pay in parts', pay_now: 'Pay now' },
  pay: 'Pay',
  cancel: 'Cancel',
  back: 'Back to store',
  testControls: 'Test controls',
  refuse: 'Be refused',
  error: 'Simulate an error',
  unavailable: 'This payment link is no longer valid.',
  done: {
    COMPLETED: 'Payment authorized.',
    CANCELLED: 'Payment cancelled.',
    FAILED: 'Klarna could not approve this purchase.',
    BACK: 'You left the payment.',
    ERROR: 'Something went wrong.',
  },
};

const catalogue: Record<string, PageMessages> = {
  en,
  de: {
    title: 'Mit Klarna bezahlen',
    heading: 'Mit Klarna bezahlen',
    total: 'Gesamtbetrag',
    method: 'Wie möchtest du bezahlen?',
    categories: {
      pay_later: 'Später bezahlen',
      pay_over_time: 'In Raten bezahlen',
      pay_now: 'Sofort bezahlen',
    },
    pay: 'Bezahlen',
    cancel: 'Abbrechen',
    back: 'Zurück zum Shop',
    testControls: 'Teststeuerung',
    refuse: 'Ablehnen lassen',
    error: 'Fehler simulieren',
    unavailable: 'Dieser Zahlungslink ist nicht mehr gültig.',
    done: {
      COMPLETED: 'Zahlung autorisiert.',
      CANCELLED: 'Zahlung abgebrochen.',
      FAILED: 'Klarna konnte diesen Kauf nicht genehmigen.',
      BACK: 'Du hast die Zahlung verlassen.',
      ERROR: 'Etwas ist schiefgelaufen.',
    },
  },
  fr: {
    title: 'Payer avec Klarna',
    heading: 'Payer avec Klarna',
    total: 'Total',
    method: 'Comment souhaitez-vous payer ?',
    categories: {
      pay_later: 'Payer plus tard',
      pay_over_time: 'Payer en plusieurs fois',
      pay_now: 'Payer maintenant',
    },
    pay: 'Payer',
    cancel: 'Annuler',
    back: 'Retour à la boutique',
    testControls: 'Commandes de test',
    refuse: 'Être refusé',
    error: 'Simuler une erreur',
    unavailable: "Ce lien de paiement n'est plus valide.",
    done: {
      COMPLETED: 'Paiement autorisé.',
      CANCELLED: 'Paiement annulé.',
      FAILED: "Klarna n'a pas pu approuver cet achat.",
      BACK: 'Vous avez quitté le paiement.',
      ERROR: "Une erreur s'est produite.",
    },
  },
  es: {
    title: 'Paga con Klarna',
    heading: 'Paga con Klarna',
    total: 'Total',
    method: '¿Cómo quieres pagar?',
    categories: { pay_later: 'Paga después', pay_over_time: 'Paga a plazos', pay_now: 'Paga ahora' },
    pay: 'Pagar',
    cancel: 'Cancelar',
    back: 'Volver a la tienda',
    testControls: 'Controles de prueba',
    refuse: 'Ser rechazado',
    error: 'Simular un error',
    unavailable: 'Este enlace de pago ya no es válido.',
    done: {
      COMPLETED: 'Pago autorizado.',
      CANCELLED: 'Pago cancelado.',
      FAILED: 'Klarna no ha podido aprobar esta compra.',
      BACK: 'Has salido del pago.',
      ERROR: 'Algo ha fallado.',
    },
  },
};

/** The catalogue for a locale, and the `lang` the page declares for it. */
export function messagesFor(locale: string): { lang: string; messages: PageMessages } {
  const language = locale.split('-')[0]?.toLowerCase() ?? 'en';
  const messages = catalogue[language];
  return messages ? { lang: locale, messages } : { lang: 'en', messages: en };
}
