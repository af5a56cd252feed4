import type { KeyObject } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.ts';
import type { Faults } from '../shared/faults.ts';
import type { MerchantRegistry } from './gateway-request.ts';
import type { Ledger } from './ledger.ts';

/** What the sandbox's routes share. */
export interface GatewayContext {
  ledger: Ledger;
  merchants: MerchantRegistry;
  clock: Clock;
  faults: Faults;
  gatewayCert: string;
  gatewayKey: KeyObject;
  /** Absolute URL of the sandbox (`${publicUrl}/sandbox/unionpay`), for links the browser follows. */
  base: string;
}
