/** Card brands (payin's codes) as shoppers read them on a card's face; an unknown code is shown as is. */
const brandNames: Readonly<Record<string, string>> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  cartes_bancaires: 'Cartes Bancaires',
  jcb: 'JCB',
  discover: 'Discover',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
};

export function brandList(brands: readonly string[]): string {
  return brands.map((b) => brandNames[b] ?? b).join(', ');
}
