/**
 * The TrueLayer emulator's fault switches (see ../fault-switches.ts), by operation of the auth
 * server and the Payments API.
 */
import { FaultSwitches, type FaultSettings as Settings } from '../fault-switches.js';

export type { CallFault } from '../fault-switches.js';
export const operations = [
  'token',
  'create_payment',
  'get_payment',
  'cancel_payment',
  'create_refund',
  'get_refunds',
] as const;
export type Operation = (typeof operations)[number];

export type FaultSettings = Settings<Operation>;

export class TrueLayerFaults extends FaultSwitches<Operation> {
  constructor() {
    super(operations);
  }
}
