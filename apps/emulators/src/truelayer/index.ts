import type { FastifyInstance } from 'fastify';
import { API_PREFIX, paymentsApiRoutes } from './api.js';
import { authRoutes } from './auth.js';
import { EmulatorClock } from './clock.js';
import { controlRoutes } from './control.js';
import { TrueLayerFaults } from './faults.js';
import { HPP_PREFIX, hostedPaymentPageRoutes } from './hpp.js';
import { type LifecycleTimings, PaymentLifecycle } from './lifecycle.js';
import { WebhookSigner } from './signing.js';
import { type MerchantAccount, type PaymentRecord, TrueLayerState } from './state.js';
import { TrueLayerWebhookSender } from './webhooks.js';

/** A client registered at start, as Console would hold it. */
export interface TrueLayerClientSeed {
  clientId: string;
  clientSecret: string;
  returnUris: string[];
  signingKeys?: { kid: string; publicKeyPem: string }[];
  /** Fixed ids let a connector be configured before the emulator starts; random otherwise. */
  merchantAccounts?: MerchantAccount[];
  webhookUrl?: string;
}

export interface TrueLayerSettings {
  /** Origin shoppers' browsers and webhook receivers reach the emulator at (read when needed). */
  publicUrl: () => string;
  clients?: TrueLayerClientSeed[];
  timings?: Partial<LifecycleTimings>;
  /** First retry delay of an unacknowledged webhook, doubled up to a minute. */
  webhookRetryMs?: number;
  /** Send `payment_authorized` (opt-in at TrueLayer, off by default). */
  paymentAuthorizedWebhook?: boolean;
}

/** TrueLayer's sandbox timings: executed seconds after consent, settled later, 15 minutes to authorise. */
const defaultTimings: LifecycleTimings = {
  executeDelayMs: 2_000,
  settleDelayMs: 5_000,
  authorizationExpiryMs: 15 * 60_000,
  refundStepMs: 1_000,
};

/** The emulator's parts, built once and handed to the plugin (and read by tests). */
export class TrueLayerEmulator {
  readonly state = new TrueLayerState();
  readonly faults = new TrueLayerFaults();
  readonly clock = new EmulatorClock();
  readonly signer = new WebhookSigner();
  readonly lifecycle: PaymentLifecycle;
  readonly webhooks: TrueLayerWebhookSender;
  readonly publicUrl: () => string;
  /** Where webhook signatures say their key is (`jku`); TrueLayer: https://webhooks.truelayer-sandbox.com/.well-known/jwks. */
  readonly jwksUrl = () => `${this.publicUrl()}${API_PREFIX}/.well-known/jwks`;
  /** The emulated bank's consent page for a payment whose shopper has chosen a bank. */
  readonly consentUri = (payment: PaymentRecord) =>
    `${this.publicUrl()}${HPP_PREFIX}/bank/consent?payment_id=${payment.id}&token=${payment.consentToken ?? ''}`;

  constructor(settings: TrueLayerSettings) {
    this.publicUrl = settings.publicUrl;
    this.lifecycle = new PaymentLifecycle(this.state, this.clock, { ...defaultTimings, ...settings.timings });
    const retryBaseMs = settings.webhookRetryMs ?? 1_000;
    this.webhooks = new TrueLayerWebhookSender(this.state, {
      signer: this.signer,
      jku: this.jwksUrl,
      clock: this.clock,
      faults: this.faults,
      paymentAuthorized: settings.paymentAuthorizedWebhook ?? false,
      retryBaseMs,
      retryMaxMs: Math.max(60_000, retryBaseMs),
    });
    for (const seed of settings.clients ?? []) {
      this.state.registerClient({
        clientId: seed.clientId,
        clientSecret: seed.clientSecret,
        returnUris: seed.returnUris,
        signingKeys: new Map((seed.signingKeys ?? []).map((k) => [k.kid, k.publicKeyPem])),
        ...(seed.merchantAccounts ? { merchantAccounts: seed.merchantAccounts } : {}),
      });
      if (seed.webhookUrl) this.webhooks.addEndpoint(seed.webhookUrl, seed.clientId);
    }
  }

  close(): void {
    this.webhooks.close();
    this.clock.close();
  }
}

export interface TrueLayerEmulatorOptions {
  emulator: TrueLayerEmulator;
}

/**
 * TrueLayer: the auth server under /truelayer/auth, the Payments API v3 under /truelayer/api, the
 * hosted payment page (and the emulated banks' consent pages) under /truelayer/hpp, and the
 * control API under /_control/truelayer.
 */
export async function truelayerEmulator(app: FastifyInstance, opts: TrueLayerEmulatorOptions): Promise<void> {
  const { emulator } = opts;
  await app.register(authRoutes, { emulator, prefix: '/truelayer/auth' });
  await app.register(paymentsApiRoutes, { emulator, prefix: API_PREFIX });
  await app.register(hostedPaymentPageRoutes, { emulator, prefix: HPP_PREFIX });
  // Served without a token, as TrueLayer serves its JWKS to anyone verifying a webhook.
  app.get(`${API_PREFIX}/.well-known/jwks`, async () => emulator.signer.jwks());
  await app.register(controlRoutes, { emulator, prefix: '/_control/truelayer' });
}
