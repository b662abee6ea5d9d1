/**
 * The Adyen emulator's fault switches (see ../fault-switches.ts), by Checkout API operation:
 * payments, details, captures, cancels, refunds, reversals.
 */
import { FaultSwitches, type FaultSettings as Settings } from '../fault-switches.js';

export type { CallFault } from '../fault-switches.js';
export const operations = ['payments', 'details', 'captures', 'cancels', 'refunds', 'reversals'] as const;
export type Operation = (typeof operations)[number];

export type FaultSettings = Settings<Operation>;

export class AdyenFaults extends FaultSwitches<Operation> {
  constructor() {
    super(operations);
  }
}
