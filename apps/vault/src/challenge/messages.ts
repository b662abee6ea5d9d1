import type { Locale } from '../fields/protocol.js';

export interface ChallengeMessages {
  /** The container page's title. */
  title: string;
  /** The bank frame's `title`, which screen readers announce when focus enters it. */
  frameTitle: string;
  /** The completion page's title and text, shown for the instant before the frame is removed. */
  returning: string;
}

export const challengeMessages: Record<Locale, ChallengeMessages> = {
  'en-US': {
    title: 'Confirm the payment with your bank',
    frameTitle: "Your bank's payment confirmation page",
    returning: 'Returning to the shop…',
  },
  'fr-FR': {
    title: 'Confirmez le paiement auprès de votre banque',
    frameTitle: 'Page de confirmation du paiement de votre banque',
    returning: 'Retour à la boutique…',
  },
  'es-ES': {
    title: 'Confirma el pago con tu banco',
    frameTitle: 'Página de confirmación del pago de tu banco',
    returning: 'Volviendo a la tienda…',
  },
  'ja-JP': {
    title: 'カード会社でお支払いを確認してください',
    frameTitle: 'カード会社のお支払い確認ページ',
    returning: 'ショップに戻っています…',
  },
};
