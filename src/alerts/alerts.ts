import type { Sql } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { openDifferences, paymentsAndNotifications, stuckJobs } from './alerts.repository.ts';

export const ALERT_KINDS = ['reconciliation_differences_open', 'jobs_backing_up', 'notifications_silent'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  kind: AlertKind;
  provider?: string;
  count: number;
  /** Since when the condition holds, where the data tells (oldest difference, oldest overdue job, last notification). */
  since?: Date;
  message: string;
}

/** A job due this long ago and still not running means the workers are down, stuck or too few. */
export const JOB_OVERDUE_MS = 5 * 60_000;
/** Notifications normally arrive within seconds of a payment; half an hour without one while payments succeed is not chance. */
export const SILENCE_MS = 30 * 60_000;

/**
 * What staff should look at now. Computed from the database alone, so every instance (and every scrape
 * of every instance) answers the same; nothing is remembered in memory between calls.
 */
export async function currentAlerts(sql: Sql, clock: Clock): Promise<Alert[]> {
  const now = clock.now();
  const [differences, jobs, providers] = await Promise.all([
    openDifferences(sql),
    stuckJobs(sql, now, new Date(now.getTime() - JOB_OVERDUE_MS)),
    paymentsAndNotifications(sql, new Date(now.getTime() - SILENCE_MS)),
  ]);
  const alerts: Alert[] = [];
  for (const d of differences) {
    alerts.push({
      kind: 'reconciliation_differences_open',
      ...(d.provider ? { provider: d.provider } : {}),
      count: d.count,
      since: d.since,
      message: `${d.count} reconciliation difference(s) open or flagged${d.provider ? ` for ${d.provider}` : ''}`,
    });
  }
  if (jobs.overdue + jobs.dead > 0) {
    alerts.push({
      kind: 'jobs_backing_up',
      count: jobs.overdue + jobs.dead,
      ...(jobs.since ? { since: jobs.since } : {}),
      message: `${jobs.overdue} job(s) due more than 5 minutes ago and not running, ${jobs.dead} dead`,
    });
  }
  for (const p of providers) {
    const silentSince = p.last_notified ?? undefined;
    if (silentSince && silentSince.getTime() > now.getTime() - SILENCE_MS) continue;
    alerts.push({
      kind: 'notifications_silent',
      provider: p.provider,
      count: p.succeeded,
      ...(silentSince ? { since: silentSince } : {}),
      message: `${p.succeeded} ${p.provider} payment(s) succeeded in the last 30 minutes but no notification from ${p.provider} was accepted in that time`,
    });
  }
  return alerts;
}
