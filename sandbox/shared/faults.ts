import type { Chaos } from './chaos.ts';

/**
 * Scripted faults for tests and demos, set through each sandbox's `/_control/faults` endpoint.
 * Kept in memory: they steer the sandbox process they were sent to. With SANDBOX_CHAOS, a call that no
 * scripted fault claims may still fail at random.
 */
export type CallFault =
  /** Answer with the provider's own system-error response, doing nothing. */
  | 'error'
  /** Do the work, then answer like a gateway that timed out (HTTP 504, no protocol body). */
  | 'timeout';

export type NotificationFault = 'drop' | 'duplicate' | { delayMs: number };

export class Faults {
  private calls: { api: string | null; fault: CallFault }[] = [];
  private notifications: NotificationFault[] = [];
  private chaos: Chaos | undefined;

  /** Random call faults from now on, after the scripted ones (which tests rely on staying exact). */
  useChaos(chaos: Chaos | undefined): void {
    this.chaos = chaos;
  }

  /** The next call (to `api`, or to any API when null) fails this way. */
  failNextCall(fault: CallFault, api: string | null = null, times = 1): void {
    for (let i = 0; i < times; i++) this.calls.push({ api, fault });
  }
  takeCallFault(api: string): CallFault | undefined {
    const i = this.calls.findIndex((c) => c.api === null || c.api === api);
    if (i < 0) return this.chaos?.callFault();
    return this.calls.splice(i, 1)[0]!.fault;
  }
  /** The next `times` notifications are dropped, duplicated or delayed. */
  nextNotifications(fault: NotificationFault, times = 1): void {
    for (let i = 0; i < times; i++) this.notifications.push(fault);
  }
  takeNotificationFault(): NotificationFault | undefined {
    return this.notifications.shift();
  }
  clear(): void {
    this.calls = [];
    this.notifications = [];
  }
}
