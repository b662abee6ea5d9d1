/**
 * The faults a test can switch on, to see payin handle what PayPal does on bad days.
 *
 * API calls (`operation`, see `operations`):
 * - `error_500`: answered 500 INTERNAL_SERVER_ERROR before anything happens;
 * - `timeout`: the call is carried out, then its answer is held until the client gives up
 *   (the payment is made, the client never learns it: a retry with the same PayPal-Request-Id
 *   learns it);
 * - `drop_answer`: carried out, then the connection is cut.
 * Each applies to the next `count` calls of its operation. `latencyMs` delays every call.
 *
 * Webhooks: `drop` loses the next N events for good (until resent), `duplicate` sends the next
 * N twice, `delayMs` holds every event that long before its first attempt.
 */
export type CallFault = 'error_500' | 'timeout' | 'drop_answer';
export const operations = [
  'token',
  'orders.create',
  'orders.get',
  'orders.capture',
  'orders.authorize',
  'authorizations.get',
  'authorizations.capture',
  'authorizations.void',
  'authorizations.reauthorize',
  'captures.get',
  'captures.refund',
  'refunds.get',
] as const;
export type Operation = (typeof operations)[number];

export interface FaultSettings {
  latencyMs?: number;
  calls?: { operation: Operation; fault: CallFault; count?: number }[];
  webhooks?: { drop?: number; duplicate?: number; delayMs?: number };
}

export class PayPalFaults {
  latencyMs = 0;
  private calls: { operation: Operation; fault: CallFault; left: number }[] = [];
  webhookDrop = 0;
  webhookDuplicate = 0;
  webhookDelayMs = 0;

  set(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
    for (const c of settings.calls ?? [])
      this.calls.push({ operation: c.operation, fault: c.fault, left: c.count ?? 1 });
    if (settings.webhooks?.drop !== undefined) this.webhookDrop = settings.webhooks.drop;
    if (settings.webhooks?.duplicate !== undefined) this.webhookDuplicate = settings.webhooks.duplicate;
    if (settings.webhooks?.delayMs !== undefined) this.webhookDelayMs = settings.webhooks.delayMs;
  }

  reset(): void {
    this.latencyMs = 0;
    this.calls = [];
    this.webhookDrop = 0;
    this.webhookDuplicate = 0;
    this.webhookDelayMs = 0;
  }

  /** The fault for this call, if one is armed; it is used up. */
  take(operation: Operation): CallFault | undefined {
    const armed = this.calls.find((c) => c.operation === operation && c.left > 0);
    if (!armed) return undefined;
    armed.left -= 1;
    this.calls = this.calls.filter((c) => c.left > 0);
    return armed.fault;
  }

  /** What becomes of the next event: dropped, sent twice, or sent once. */
  nextWebhook(): 'drop' | 'duplicate' | 'send' {
    if (this.webhookDrop > 0) {
      this.webhookDrop -= 1;
      return 'drop';
    }
    if (this.webhookDuplicate > 0) {
      this.webhookDuplicate -= 1;
      return 'duplicate';
    }
    return 'send';
  }

  view() {
    return {
      latencyMs: this.latencyMs,
      calls: this.calls.map((c) => ({ operation: c.operation, fault: c.fault, count: c.left })),
      webhooks: { drop: this.webhookDrop, duplicate: this.webhookDuplicate, delayMs: this.webhookDelayMs },
    };
  }
}

const callFaults: readonly CallFault[] = ['error_500', 'timeout', 'drop_answer'];
const count = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);

/** The control API's body, checked; a reason when it is not acceptable. */
export function faultSettingsOf(body: unknown): FaultSettings | string {
  if (typeof body !== 'object' || body === null) return 'send a JSON object';
  const b = body as Record<string, unknown>;
  if (!count(b.latencyMs)) return 'latencyMs must be a non-negative integer';
  const calls = b.calls ?? [];
  if (!Array.isArray(calls)) return 'calls must be an array';
  for (const c of calls as Record<string, unknown>[]) {
    if (!operations.includes(c?.operation as Operation))
      return `calls[].operation must be one of ${operations.join(', ')}`;
    if (!callFaults.includes(c?.fault as CallFault))
      return `calls[].fault must be one of ${callFaults.join(', ')}`;
    if (!count(c.count)) return 'calls[].count must be a non-negative integer';
  }
  const w = (b.webhooks ?? {}) as Record<string, unknown>;
  if (typeof w !== 'object' || !count(w.drop) || !count(w.duplicate) || !count(w.delayMs)) {
    return 'webhooks.drop, webhooks.duplicate and webhooks.delayMs must be non-negative integers';
  }
  return b as FaultSettings;
}
