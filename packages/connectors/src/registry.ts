import type { Connector, ConnectorRegistry } from '@payin/core';
import { SandboxConnector } from './sandbox/index.js';

/**
 * Which connector takes a payment. For now: test-mode payments with a built-in test method go
 * to the sandbox; live mode has no connector until one is configured for the merchant.
 */
export function createConnectorRegistry(opts: {
  publicUrl: string;
  sandboxLatencyMs?: number;
}): ConnectorRegistry {
  const sandbox = new SandboxConnector(opts.publicUrl, opts.sandboxLatencyMs);
  const byName = new Map<string, Connector>([[sandbox.name, sandbox]]);
  return {
    forPayment({ livemode, paymentMethod }) {
      if (!livemode && SandboxConnector.accepts(paymentMethod)) return sandbox;
      return undefined;
    },
    byName: (name) => byName.get(name),
  };
}
