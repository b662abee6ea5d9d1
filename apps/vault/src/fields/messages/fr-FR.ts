import type { Messages } from './index.js';

export const frFR: Messages = {
  label: {
    number: 'Numéro de carte',
    expiry: "Date d'expiration",
    cvc: 'Cryptogramme visuel',
    holder_name: 'Nom du titulaire',
  },
  placeholder: { number: '1234 1234 1234 1234', expiry: 'MM / AA', cvc: 'CVC', holder_name: '' },
  cardTitle: 'Informations de la carte',
  brandChoice: 'Réseau de la carte',
  errors: {
    incomplete_number: 'Le numéro de carte est incomplet.',
    invalid_number: "Le numéro de carte n'est pas valide.",
    incomplete_expiry: "La date d'expiration est incomplète.",
    invalid_expiry_month: "Le mois d'expiration n'est pas valide.",
    invalid_expiry_year: "L'année d'expiration n'est pas valide.",
    expired_card: 'Cette carte a expiré.',
    incomplete_cvc: 'Le cryptogramme visuel est incomplet.',
    invalid_cvc: "Le cryptogramme visuel n'est pas valide.",
    incomplete_holder_name: 'Saisissez le nom figurant sur la carte.',
    processing_error: "La carte n'a pas pu être enregistrée. Réessayez.",
  },
};
