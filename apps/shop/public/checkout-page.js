// The checkout page's only script: reads the options the server wrote as JSON data and mounts
// payin's drop-in. Once paid, the shopper goes to the order page.
import * as payin from './checkout/payin-checkout.v1.js';

// The drop-in's first render in a task after the one that evaluated it (Vue and the checkout,
// tens of milliseconds on a phone): two shorter tasks leave room for the shopper's input.
await new Promise((resolve) => setTimeout(resolve));
const options = JSON.parse(document.getElementById('payin-checkout-options').textContent);
const PayinCheckout = payin.PayinCheckout ?? payin.default;
const checkout = PayinCheckout.mount('#payin-checkout', options);
checkout.on('success', (payment) => {
  window.location.assign(`/order/return?payment=${encodeURIComponent(payment.id)}`);
});
