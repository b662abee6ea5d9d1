/**
 * The Klarna emulator's fault switches (see ../fault-switches.ts), by API operation; its
 * deliveries are notifications (fraud decisions and the hosted page's status callbacks). A call
 * fault `error_500` answers Klarna's `INTERNAL_SERVER_ERROR`.
 */
import { FaultSwitches, type FaultSettings as Settings } from '../fault-switches.js';

export type { CallFault } from '../fault-switches.js';
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

export type FaultSettings = Settings<Operation, 'notifications'>;

export class KlarnaFaults extends FaultSwitches<Operation, 'notifications'> {
  constructor() {
    super(operations, 'notifications');
  }
}
