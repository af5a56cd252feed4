import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../lib/log.ts';
import { ALERT_KINDS, type Alert } from './alerts.ts';

/**
 * `mallpay_alert{kind,provider}`: each current alert's count, read from the database at scrape time, so
 * every instance reports the same numbers. Each kind is also reported as 0 without a provider when it is
 * quiet, so a rule like `mallpay_alert > 0` has a series to watch before the first trouble.
 */
export function registerAlertGauge(registry: Registry, alerts: () => Promise<Alert[]>, log: Logger): void {
  new Gauge({
    name: 'mallpay_alert',
    help: 'Current alerts by kind and provider (count of what is wrong); see docs/operations.md',
    labelNames: ['kind', 'provider'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      let current: Alert[];
      try {
        current = await alerts();
      } catch (err) {
        // A scrape must still answer with the other metrics; /healthz reports the database itself.
        log.warn({ err: err instanceof Error ? err.message : String(err) }, 'alerts not evaluated for /metrics');
        return;
      }
      for (const kind of ALERT_KINDS) if (!current.some((a) => a.kind === kind)) this.set({ kind, provider: '' }, 0);
      for (const a of current) this.set({ kind: a.kind, provider: a.provider ?? '' }, a.count);
    },
  });
}
