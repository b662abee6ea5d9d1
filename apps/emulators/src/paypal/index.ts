import type { FastifyInstance } from 'fastify';
import { approvalRoutes } from './approval.js';
import { DEFAULT_TOKEN_TTL_SECONDS, type PayPalClient } from './auth.js';
import { controlRoutes } from './control.js';
import { PayPalFaults } from './faults.js';
import { RequestIds } from './idempotency.js';
import { type PaymentsContext, settleCapture } from './payments.js';
import type { LinkBase, Merchant } from './representations.js';
import { type ApiRoutesOptions, apiRoutes, type PayPalCall } from './routes.js';
import { fixtureSigningMaterial, type SigningMaterial } from './signature.js';
import { PayPalState } from './state.js';
import { PayPalWebhookSender } from './webhooks.js';

export type { PayPalClient } from './auth.js';
export type { PayPalCall } from './routes.js';

/** Where PayPal's paths are served: under a prefix, and optionally only for one Host. */
export interface PayPalMount {
  prefix: string;
  host?: string;
}

/** PayPal's sandbox API host: what the official SDK calls (it has no base-URL setting). */
export const SANDBOX_HOST = 'api-m.sandbox.paypal.com';

/** `/paypal` on the emulators' port, and the bare paths for requests addressed to the sandbox host. */
export const DEFAULT_MOUNTS: PayPalMount[] = [{ prefix: '/paypal' }, { prefix: '', host: SANDBOX_HOST }];

export const DEFAULT_MERCHANT: Merchant = {
  name: 'Payin Test Store',
  email: 'merchant@payin.example',
  merchantId: 'PAYNTESTMERCH',
};

export interface PayPalEmulatorOptions {
  state: PayPalState;
  faults: PayPalFaults;
  webhooks: PayPalWebhookSender;
  /** REST apps allowed to take tokens (client id and secret). */
  clients: PayPalClient[];
  /** Origin buyers' browsers and the links reach the emulator at (read per request: known once listening). */
  publicUrl: () => string;
  mounts?: PayPalMount[];
  merchant?: Merchant;
  tokenTtlSeconds?: number;
  /** How long a "pending" payer's capture stays PENDING before PAYMENT.CAPTURE.COMPLETED. */
  pendingCaptureMs?: number;
  now?: () => Date;
  /** Sees every API call as it arrives, before any fault (tests check them against the spec). */
  observe?: (call: PayPalCall) => void;
}

/** The API base links and events point at: the `/paypal` mount of the public URL. */
export const paypalLinkBase = (publicUrl: () => string, api?: string): LinkBase => ({
  api: api ?? `${publicUrl()}/paypal`,
  approval: (orderId) => `${publicUrl()}/paypal/checkoutnow?token=${encodeURIComponent(orderId)}`,
});

/** State, faults and a webhook sender wired together, as the plugin takes them. */
export function createPayPalParts(opts: {
  publicUrl: () => string;
  webhookRetryMs: number;
  merchant?: Merchant;
  signing?: SigningMaterial;
  now?: () => Date;
}) {
  const state = new PayPalState();
  const faults = new PayPalFaults();
  const webhooks = new PayPalWebhookSender({
    state,
    merchant: opts.merchant ?? DEFAULT_MERCHANT,
    signing: opts.signing ?? fixtureSigningMaterial(),
    base: () => paypalLinkBase(opts.publicUrl),
    faults,
    retryBaseMs: opts.webhookRetryMs,
    retryMaxMs: Math.max(60_000, opts.webhookRetryMs),
    now: opts.now,
  });
  return { state, faults, webhooks };
}

/**
 * PayPal: the REST API (OAuth, Orders v2, Payments v2, webhook verification) on each mount, the
 * buyer-facing approval page at /paypal/checkoutnow, and the control API under /_control/paypal.
 */
export async function paypalEmulator(app: FastifyInstance, opts: PayPalEmulatorOptions): Promise<void> {
  const merchant = opts.merchant ?? DEFAULT_MERCHANT;
  const now = opts.now ?? (() => new Date());
  const pendingTimers = new Set<NodeJS.Timeout>();
  const ctx: PaymentsContext = {
    state: opts.state,
    merchant,
    now,
    onPending: (captureId) => {
      const timer = setTimeout(() => {
        pendingTimers.delete(timer);
        settleCapture(ctx, captureId, 'COMPLETED');
      }, opts.pendingCaptureMs ?? 5_000);
      timer.unref();
      pendingTimers.add(timer);
    },
  };
  app.addHook('onClose', async () => {
    for (const timer of pendingTimers) clearTimeout(timer);
  });
  const requestIds = new RequestIds();
  for (const mount of opts.mounts ?? DEFAULT_MOUNTS) {
    const api = mount.host ? `https://${mount.host}` : `${opts.publicUrl()}${mount.prefix}`;
    const routes: ApiRoutesOptions & { prefix: string } = {
      prefix: mount.prefix,
      ctx,
      faults: opts.faults,
      requestIds,
      webhooks: opts.webhooks,
      clients: opts.clients,
      tokenTtlSeconds: opts.tokenTtlSeconds ?? DEFAULT_TOKEN_TTL_SECONDS,
      base: () => paypalLinkBase(opts.publicUrl, mount.host ? api : `${opts.publicUrl()}${mount.prefix}`),
      host: mount.host,
      observe: opts.observe,
    };
    await app.register(apiRoutes, routes);
  }
  await app.register(approvalRoutes, { ...ctx, prefix: '/paypal' });
  await app.register(controlRoutes, {
    prefix: '/_control/paypal',
    ctx,
    faults: opts.faults,
    webhooks: opts.webhooks,
    base: () => paypalLinkBase(opts.publicUrl),
  });
}
