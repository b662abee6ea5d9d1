import type { Messages } from './index.js';

export const esES: Messages = {
  label: {
    number: 'Número de tarjeta',
    expiry: 'Fecha de caducidad',
    cvc: 'Código de seguridad',
    holder_name: 'Titular de la tarjeta',
  },
  placeholder: { number: '1234 1234 1234 1234', expiry: 'MM / AA', cvc: 'CVC', holder_name: '' },
  cardTitle: 'Datos de la tarjeta',
  brandChoice: 'Red de la tarjeta',
  errors: {
    incomplete_number: 'El número de tarjeta está incompleto.',
    invalid_number: 'El número de tarjeta no es válido.',
    incomplete_expiry: 'La fecha de caducidad está incompleta.',
    invalid_expiry_month: 'El mes de caducidad no es válido.',
    invalid_expiry_year: 'El año de caducidad no es válido.',
    expired_card: 'La tarjeta ha caducado.',
    incomplete_cvc: 'El código de seguridad está incompleto.',
    invalid_cvc: 'El código de seguridad no es válido.',
    incomplete_holder_name: 'Introduce el nombre que figura en la tarjeta.',
    processing_error: 'No se ha podido guardar la tarjeta. Inténtalo de nuevo.',
  },
};
