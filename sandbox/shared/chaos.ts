import type { SandboxChaos } from '../../src/config.ts';
import type { CallFault } from './faults.ts';

/** What the chaos has done so far in this process, for the storm's figures (`GET /sandbox/_control/chaos`). */
export interface ChaosStats {
  callErrors: number;
  callTimeouts: number;
  /** Notifications queued, and the copies made of them (a notification sent 3 times counts 3 copies). */
  notifications: number;
  copies: number;
  failedDeliveries: number;
}

/**
 * Probabilistic faults for the sandboxes (SANDBOX_CHAOS): each decision draws from one seeded generator,
 * so a run's sequence of decisions is the same for the same seed. Which call meets which decision still
 * depends on the order requests arrive in, so a concurrent run is repeatable only in distribution.
 */
export class Chaos {
  readonly stats: ChaosStats = { callErrors: 0, callTimeouts: 0, notifications: 0, copies: 0, failedDeliveries: 0 };
  private readonly random: () => number;

  constructor(readonly settings: SandboxChaos) {
    this.random = mulberry32(settings.seed);
  }

  /** A provider API call fails with probability `calls`: half the time the system error, half a timeout. */
  callFault(): CallFault | undefined {
    if (this.random() >= this.settings.calls) return undefined;
    const fault: CallFault = this.random() < 0.5 ? 'error' : 'timeout';
    if (fault === 'error') this.stats.callErrors++;
    else this.stats.callTimeouts++;
    return fault;
  }

  /** The delays (ms) at which each copy of a notification is first sent: `copies` of them, each in `delayMs`. */
  copyDelays(): number[] {
    const n = this.between(this.settings.copies);
    this.stats.notifications++;
    this.stats.copies += n;
    return Array.from({ length: n }, () => this.between(this.settings.delayMs));
  }

  /** A delivery attempt is lost before it leaves (counted as a failed send, retried on schedule). */
  deliveryFails(): boolean {
    const fails = this.random() < this.settings.deliveries;
    if (fails) this.stats.failedDeliveries++;
    return fails;
  }

  private between([min, max]: readonly [number, number]): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
}

/** A small seeded generator (Tommy Ettinger's mulberry32): uniform in [0, 1), 2^32 period, plenty for faults. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
