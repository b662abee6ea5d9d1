export * from './accounts.js';
export * from './adyen/index.js';
export { adyenModule } from './adyen/module.js';
export {
  type AdyenNotificationItem,
  eventKey,
  notificationItems,
  verifyNotification,
} from './adyen/webhooks.js';
export * from './provider.js';
export * from './registry.js';
export * from './sandbox/index.js';
