import type { FastifyInstance } from 'fastify';
/**
 * The faults a test can switch on in any emulator, to see payin handle what real providers do
 * on bad days. Each provider names its own operations (`src/<provider>/faults.ts`).
 *
 * Calls (`calls[]`, each for the next `count` calls of its `operation`, 1 by default):
 * - `error_500`: answered 500 before anything happens (nothing done);
 * - `timeout`: the call is carried out, then its answer is held until the client gives up (done,
 *   but the client never learns it: the case an orchestrator must not fail);
 * - `drop_answer`: carried out, then the connection is cut.
 * `latencyMs` delays every call.
 *
 * Deliveries to the merchant (webhooks; Klarna calls them notifications): `drop` loses the next N
 * for good, `duplicate` sends the next N twice, `delayMs` holds every one that long before its
 * first attempt (so that a later event can overtake an earlier one when it is shorter).
 */
export type CallFault = 'error_500' | 'timeout' | 'drop_answer';
const callFaults: readonly CallFault[] = ['error_500', 'timeout', 'drop_answer'];

export interface DeliveryFaults {
  drop?: number;
  duplicate?: number;
  delayMs?: number;
}

export type FaultSettings<Op extends string, Deliveries extends string = 'webhooks'> = {
  latencyMs?: number;
  calls?: { operation: Op; fault: CallFault; count?: number }[];
} & { [K in Deliveries]?: DeliveryFaults };

const count = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);

export class FaultSwitches<Op extends string, Deliveries extends string = 'webhooks'> {
  latencyMs = 0;
  private calls: { operation: Op; fault: CallFault; left: number }[] = [];
  deliveryDrop = 0;
  deliveryDuplicate = 0;
  /** How long each delivery waits before its first attempt. */
  deliveryDelayMs = 0;

  /**
   * @param operations the provider's operations a call fault may name
   * @param deliveries the settings' key of the delivery faults (`webhooks`, `notifications`)
   */
  constructor(
    readonly operations: readonly Op[],
    readonly deliveries: Deliveries = 'webhooks' as Deliveries,
  ) {}

  set(settings: FaultSettings<Op, Deliveries>): void {
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
    for (const c of settings.calls ?? [])
      this.calls.push({ operation: c.operation, fault: c.fault, left: c.count ?? 1 });
    const d = (settings as Record<string, DeliveryFaults | undefined>)[this.deliveries];
    if (d?.drop !== undefined) this.deliveryDrop = d.drop;
    if (d?.duplicate !== undefined) this.deliveryDuplicate = d.duplicate;
    if (d?.delayMs !== undefined) this.deliveryDelayMs = d.delayMs;
  }

  reset(): void {
    this.latencyMs = 0;
    this.calls = [];
    this.deliveryDrop = 0;
    this.deliveryDuplicate = 0;
    this.deliveryDelayMs = 0;
  }

  /** The fault armed for this call, if any; it is used up. */
  take(operation: Op): CallFault | undefined {
    const armed = this.calls.find((c) => c.operation === operation && c.left > 0);
    if (!armed) return undefined;
    armed.left -= 1;
    this.calls = this.calls.filter((c) => c.left > 0);
    return armed.fault;
  }

  /** What becomes of the next delivery: dropped, sent twice, or sent once. */
  nextDelivery(): 'drop' | 'duplicate' | 'send' {
    if (this.deliveryDrop > 0) {
      this.deliveryDrop -= 1;
      return 'drop';
    }
    if (this.deliveryDuplicate > 0) {
      this.deliveryDuplicate -= 1;
      return 'duplicate';
    }
    return 'send';
  }

  view() {
    return {
      latencyMs: this.latencyMs,
      calls: this.calls.map((c) => ({ operation: c.operation, fault: c.fault, count: c.left })),
      [this.deliveries]: {
        drop: this.deliveryDrop,
        duplicate: this.deliveryDuplicate,
        delayMs: this.deliveryDelayMs,
      },
    };
  }

  /** The control API's body, checked; a reason when it is not acceptable. */
  settingsOf(body: unknown): FaultSettings<Op, Deliveries> | string {
    if (typeof body !== 'object' || body === null) return 'send a JSON object';
    const b = body as Record<string, unknown>;
    if (!count(b.latencyMs)) return 'latencyMs must be a non-negative integer';
    const calls = b.calls ?? [];
    if (!Array.isArray(calls)) return 'calls must be an array';
    for (const c of calls as Record<string, unknown>[]) {
      if (!this.operations.includes(c?.operation as Op))
        return `calls[].operation must be one of ${this.operations.join(', ')}`;
      if (!callFaults.includes(c?.fault as CallFault))
        return `calls[].fault must be one of ${callFaults.join(', ')}`;
      if (!count(c.count)) return 'calls[].count must be a non-negative integer';
    }
    const d = (b[this.deliveries] ?? {}) as Record<string, unknown>;
    if (typeof d !== 'object' || !count(d.drop) || !count(d.duplicate) || !count(d.delayMs)) {
      const key = this.deliveries;
      return `${key}.drop, ${key}.duplicate and ${key}.delayMs must be non-negative integers`;
    }
    return b as FaultSettings<Op, Deliveries>;
  }
}

/** The control API's fault routes at `path` (GET shows them, POST sets them, DELETE clears them). */
export function faultRoutes(
  app: FastifyInstance,
  path: string,
  faults: Pick<FaultSwitches<string, string>, 'view' | 'set' | 'reset' | 'settingsOf'>,
): void {
  app.get(path, async () => faults.view());
  app.post(path, async (request, reply) => {
    const settings = faults.settingsOf(request.body ?? {});
    if (typeof settings === 'string') return reply.code(400).send({ error: settings });
    faults.set(settings);
    return faults.view();
  });
  app.delete(path, async () => {
    faults.reset();
    return faults.view();
  });
}
