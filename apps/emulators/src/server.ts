import { createServer } from '@payin/http';
import { createLogger, type Logger } from '@payin/telemetry';
import type { FastifyInstance } from 'fastify';
import { AdyenFaults } from './adyen/faults.js';
import { adyenEmulator, type CheckoutCall } from './adyen/index.js';
import { AdyenState } from './adyen/state.js';
import { AdyenWebhookSender } from './adyen/webhooks.js';
import type { EmulatorsConfig } from './config.js';
import { createKlarnaRuntime, klarnaEmulator } from './klarna/index.js';
import { createPayPalParts, paypalEmulator } from './paypal/index.js';
import { TrueLayerEmulator, truelayerEmulator } from './truelayer/index.js';

export interface RunningEmulators {
  app: FastifyInstance;
  url: string;
  adyen: AdyenState;
  adyenFaults: AdyenFaults;
  adyenWebhooks: AdyenWebhookSender;
  paypal?: ReturnType<typeof createPayPalParts>;
  klarna?: ReturnType<typeof createKlarnaRuntime>;
  truelayer?: TrueLayerEmulator;
  close(): Promise<void>;
}

/**
 * The providers' stand-ins on one port, one folder per provider. An emulator keeps its state in
 * memory on purpose: it is a test double that starts empty, not a system of record.
 */
export async function startEmulators(
  config: EmulatorsConfig,
  opts: { logger?: Logger; observeAdyen?: (call: CheckoutCall) => void } = {},
): Promise<RunningEmulators> {
  const logger = opts.logger ?? createLogger(config.logLevel, 'payin-emulators');
  const app = createServer({ logger });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request',
    );
  });
  app.get('/healthz', async () => ({ status: 'ok' }));

  const adyen = new AdyenState();
  const adyenFaults = new AdyenFaults();
  const adyenWebhooks = new AdyenWebhookSender(adyen, {
    faults: adyenFaults,
    retryBaseMs: config.adyen.webhookRetryMs,
    retryMaxMs: Math.max(60_000, config.adyen.webhookRetryMs),
  });
  if (config.adyen.webhook) adyenWebhooks.addEndpoint(config.adyen.webhook.url, config.adyen.webhook.hmacKey);
  let url = config.publicUrl;
  // An empty publicUrl (tests on a random port) means the address the server listens at.
  await app.register(adyenEmulator, {
    state: adyen,
    faults: adyenFaults,
    webhooks: adyenWebhooks,
    apiKeys: config.adyen.apiKeys,
    publicUrl: () => config.publicUrl || url,
    observe: opts.observeAdyen,
    ...(config.adyen.voucherValidityMs ? { voucherValidityMs: config.adyen.voucherValidityMs } : {}),
  });

  // Each provider in its folder, registered when configured (loadEmulatorsConfig configures all).
  const paypal = config.paypal
    ? createPayPalParts({
        publicUrl: () => config.publicUrl || url,
        webhookRetryMs: config.paypal.webhookRetryMs,
      })
    : undefined;
  if (config.paypal && paypal) {
    const { webhook } = config.paypal;
    if (webhook) paypal.webhooks.addEndpoint(webhook.url, ['*'], webhook.webhookId);
    await app.register(paypalEmulator, {
      ...paypal,
      clients: config.paypal.clients,
      publicUrl: () => config.publicUrl || url,
      pendingCaptureMs: config.paypal.pendingCaptureMs,
      tokenTtlSeconds: config.paypal.tokenTtlSeconds,
    });
  }
  const klarna = config.klarna ? createKlarnaRuntime(config.klarna) : undefined;
  if (config.klarna && klarna) {
    await app.register(klarnaEmulator, {
      ...klarna,
      ...config.klarna,
      publicUrl: () => config.publicUrl || url,
    });
  }
  const truelayer = config.truelayer
    ? new TrueLayerEmulator({ ...config.truelayer, publicUrl: () => config.publicUrl || url })
    : undefined;
  if (truelayer) await app.register(truelayerEmulator, { emulator: truelayer });

  const address = await app.listen({ port: config.port, host: config.host });
  url = address.replace('[::1]', 'localhost');
  return {
    app,
    url,
    adyen,
    adyenFaults,
    adyenWebhooks,
    ...(paypal ? { paypal } : {}),
    ...(klarna ? { klarna } : {}),
    ...(truelayer ? { truelayer } : {}),
    close: async () => {
      adyenWebhooks.close();
      paypal?.webhooks.close();
      klarna?.close();
      truelayer?.close();
      await app.close();
    },
  };
}
