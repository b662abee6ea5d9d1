export { startAuthentication } from './authentication.js';
export type {
  CardField,
  CardFieldEvents,
  CardFieldState,
  CardFieldsOptions,
  MountedCardFields,
  PayinFieldsApi,
  TokenizeFailure,
  VaultToken,
} from './fields.js';
export { default as PayinCheckout } from './PayinCheckout.vue';
