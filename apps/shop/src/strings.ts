import type { Market } from './catalogue.js';

/** The shop's own words in each market's language (the checkout brings its own). */
export interface ShopStrings {
  title: string;
  tagline: string;
  market: string;
  addToCart: string;
  cart: string;
  cartEmpty: string;
  quantity: string;
  remove: string;
  update: string;
  total: string;
  checkout: string;
  checkoutTitle: string;
  orderSummary: string;
  backToShop: string;
  backToCart: string;
  orderPaid: string;
  orderProcessing: string;
  orderFailed: string;
  orderNumber: string;
  checkoutUnavailable: string;
  grades: Record<'excellent' | 'very_good' | 'good', string>;
}

export const strings: Readonly<Record<Market['locale'], ShopStrings>> = {
  'en-US': {
    title: 'Refurb Market',
    tagline: 'Refurbished phones, tablets and laptops, tested and guaranteed for a year.',
    market: 'Country',
    addToCart: 'Add to cart',
    cart: 'Cart',
    cartEmpty: 'Your cart is empty.',
    quantity: 'Quantity',
    remove: 'Remove',
    update: 'Update',
    total: 'Total',
    checkout: 'Go to checkout',
    checkoutTitle: 'Checkout',
    orderSummary: 'Order summary',
    backToShop: 'Continue shopping',
    backToCart: 'Back to cart',
    orderPaid: 'Thank you! Your order is paid.',
    orderProcessing: 'Your payment is being processed. We will email you once it is confirmed.',
    orderFailed: 'The payment did not go through. Nothing was charged.',
    orderNumber: 'Payment reference',
    checkoutUnavailable: 'Payment is unavailable right now. Please try again in a moment.',
    grades: { excellent: 'Excellent condition', very_good: 'Very good condition', good: 'Good condition' },
  },
  'fr-FR': {
    title: 'Refurb Market',
    tagline: 'Smartphones, tablettes et ordinateurs reconditionnés, testés et garantis un an.',
    market: 'Pays',
    addToCart: 'Ajouter au panier',
    cart: 'Panier',
    cartEmpty: 'Votre panier est vide.',
    quantity: 'Quantité',
    remove: 'Retirer',
    update: 'Mettre à jour',
    total: 'Total',
    checkout: 'Passer au paiement',
    checkoutTitle: 'Paiement',
    orderSummary: 'Récapitulatif de la commande',
    backToShop: 'Continuer mes achats',
    backToCart: 'Retour au panier',
    orderPaid: 'Merci ! Votre commande est payée.',
    orderProcessing: 'Votre paiement est en cours de traitement. Nous vous écrirons dès sa confirmation.',
    orderFailed: "Le paiement n'a pas abouti. Rien n'a été débité.",
    orderNumber: 'Référence du paiement',
    checkoutUnavailable: 'Le paiement est momentanément indisponible. Réessayez dans un instant.',
    grades: { excellent: 'État excellent', very_good: 'Très bon état', good: 'Bon état' },
  },
  'es-ES': {
    title: 'Refurb Market',
    tagline: 'Móviles, tabletas y portátiles reacondicionados, revisados y con un año de garantía.',
    market: 'País',
    addToCart: 'Añadir a la cesta',
    cart: 'Cesta',
    cartEmpty: 'Tu cesta está vacía.',
    quantity: 'Cantidad',
    remove: 'Quitar',
    update: 'Actualizar',
    total: 'Total',
    checkout: 'Ir al pago',
    checkoutTitle: 'Pago',
    orderSummary: 'Resumen del pedido',
    backToShop: 'Seguir comprando',
    backToCart: 'Volver a la cesta',
    orderPaid: '¡Gracias! Tu pedido está pagado.',
    orderProcessing: 'Tu pago se está procesando. Te escribiremos en cuanto se confirme.',
    orderFailed: 'El pago no se ha completado. No se ha cobrado nada.',
    orderNumber: 'Referencia del pago',
    checkoutUnavailable: 'El pago no está disponible en este momento. Vuelve a intentarlo en un instante.',
    grades: { excellent: 'Estado excelente', very_good: 'Muy buen estado', good: 'Buen estado' },
  },
  'ja-JP': {
    title: 'Refurb Market',
    tagline: '検査済み・1年保証付きの整備済みスマートフォン、タブレット、ノートパソコン。',
    market: '国',
    addToCart: 'カートに入れる',
    cart: 'カート',
    cartEmpty: 'カートは空です。',
    quantity: '数量',
    remove: '削除',
    update: '更新',
    total: '合計',
    checkout: 'お支払いへ進む',
    checkoutTitle: 'お支払い',
    orderSummary: 'ご注文内容',
    backToShop: 'お買い物を続ける',
    backToCart: 'カートに戻る',
    orderPaid: 'ありがとうございます。ご注文のお支払いが完了しました。',
    orderProcessing: 'お支払いを処理しています。確認され次第メールでお知らせします。',
    orderFailed: 'お支払いが完了しませんでした。請求は発生していません。',
    orderNumber: 'お支払い番号',
    checkoutUnavailable: '現在お支払いをご利用いただけません。しばらくしてからもう一度お試しください。',
    grades: { excellent: '非常に良い', very_good: '良い', good: '可' },
  },
};
