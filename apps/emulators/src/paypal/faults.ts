/**
 * The PayPal emulator's fault switches (see ../fault-switches.ts), by REST operation. A call
 * whose answer was held or cut was carried out: a retry with the same PayPal-Request-Id learns
 * what it did.
 */
import { FaultSwitches, type FaultSettings as Settings } from '../fault-switches.js';

export type { CallFault } from '../fault-switches.js';
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

export type FaultSettings = Settings<Operation>;

export class PayPalFaults extends FaultSwitches<Operation> {
  constructor() {
    super(operations);
  }
}
