/**
 * The faults a test can switch on, per Klarna operation:
 * - `error_500`: answered 500 `INTERNAL_SERVER_ERROR` before anything happens;
 * - `timeout`: carried out, then the answer is held until the client gives up;
 * - `drop_answer`: carried out, then the connection is cut.
 * Each applies to the next `count` calls of its operation; `latencyMs` delays every API call.
 * Notifications (fraud decisions and hosted page status callbacks): `drop` loses the next N,
 * `duplicate` sends the next N twice, `delayMs` holds each before its first attempt.
 */
export type CallFault = 'error_500' | 'timeout' | 'drop_answer';

export const operations = [
  'create_session',
  'read_session',
  'update_session',
  'place_order',
  'cancel_authorization',
  'create_hpp_session',
  'read_hpp_session',
  'disable_hpp_session',
  'read_order',
  'capture',
  'refund',
  'cancel_order',
  'extend_authorization',
  'release_authorization',
] as const;
export type Operation = (typeof operations)[number];

export interface FaultSettings {
  latencyMs?: number;
  calls?: { operation: Operation; fault: CallFault; count?: number }[];
  notifications?: { drop?: number; duplicate?: number; delayMs?: number };
}

export class KlarnaFaults {
  latencyMs = 0;
  private calls: { operation: Operation; fault: CallFault; left: number }[] = [];
  notificationDrop = 0;
  notificationDuplicate = 0;
  notificationDelayMs = 0;

  set(settings: FaultSettings): void {
    if (settings.latencyMs !== undefined) this.latencyMs = settings.latencyMs;
    for (const c of settings.calls ?? [])
      this.calls.push({ operation: c.operation, fault: c.fault, left: c.count ?? 1 });
    const n = settings.notifications;
    if (n?.drop !== undefined) this.notificationDrop = n.drop;
    if (n?.duplicate !== undefined) this.notificationDuplicate = n.duplicate;
    if (n?.delayMs !== undefined) this.notificationDelayMs = n.delayMs;
  }

  reset(): void {
    this.latencyMs = 0;
    this.calls = [];
    this.notificationDrop = 0;
    this.notificationDuplicate = 0;
    this.notificationDelayMs = 0;
  }

  /** The fault armed for this call, used up. */
  take(operation: Operation): CallFault | undefined {
    const armed = this.calls.find((c) => c.operation === operation && c.left > 0);
    if (!armed) return undefined;
    armed.left -= 1;
    this.calls = this.calls.filter((c) => c.left > 0);
    return armed.fault;
  }

  nextNotification(): 'drop' | 'duplicate' | 'send' {
    if (this.notificationDrop > 0) {
      this.notificationDrop -= 1;
      return 'drop';
    }
    if (this.notificationDuplicate > 0) {
      this.notificationDuplicate -= 1;
      return 'duplicate';
    }
    return 'send';
  }

  view() {
    return {
      latencyMs: this.latencyMs,
      calls: this.calls.map((c) => ({ operation: c.operation, fault: c.fault, count: c.left })),
      notifications: {
        drop: this.notificationDrop,
        duplicate: this.notificationDuplicate,
        delayMs: this.notificationDelayMs,
      },
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
  const n = (b.notifications ?? {}) as Record<string, unknown>;
  if (typeof n !== 'object' || !count(n.drop) || !count(n.duplicate) || !count(n.delayMs))
    return 'notifications.drop, .duplicate and .delayMs must be non-negative integers';
  return b as FaultSettings;
}
