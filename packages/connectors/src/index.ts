export * from './accounts.js';
export * from './adyen/index.js';
export { adyenModule } from './adyen/module.js';
export {
  type AdyenNotificationItem,
  eventKey,
  notificationItems,
  verifyNotification,
} from './adyen/webhooks.js';
export { klarnaModule } from './klarna/module.js';
export { paypalModule } from './paypal/module.js';
export * from './provider.js';
export * from './registry.js';
export * from './sandbox/index.js';
export { truelayerModule } from './truelayer/module.js';
