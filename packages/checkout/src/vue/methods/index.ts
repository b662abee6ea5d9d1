/**
 * The methods other than cards, loaded by the checkout with `import()` only when one is chosen
 * or a payment comes back with one (built as a chunk of its own beside payin-checkout.v1.js):
 * their panels, the voucher and their strings stay out of the card form's download.
 */
export { methodCatalogues, methodFailureMessage, tm } from '../../i18n/methods.js';
export { billingProblem, inputOfParam } from './billing.js';
export { default as MethodPanel } from './MethodPanel.vue';
export { default as VoucherView } from './VoucherView.vue';
