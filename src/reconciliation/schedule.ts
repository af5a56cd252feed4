import type { Db } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { enqueue, jobHandler, type JobHandlers } from '../lib/jobs.ts';
import { enabledProvider, type Providers } from '../providers/registry.ts';
import { CHECK_EVERY_MS, CONSISTENCY_CHECK_JOB, type ConsistencyChecker } from './consistency.service.ts';
import { previousBeijingDate } from './reconciliation.ts';
import type { ReconciliationService } from './reconciliation.service.ts';

export const RECONCILE_DAILY_JOB = 'reconciliation.daily' as const;
export const RECONCILE_JOB = 'reconciliation.run' as const;
/** Bills are ready the next morning (WeChat from 10:00); the daily job starts at 10:30 Beijing, then retries hourly. */
const DAILY_AT_BEIJING_MINUTES = 10 * 60 + 30;

export function nextDailyRun(now: Date): Date {
  const beijingMidnight = new Date(
    `${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00+08:00`,
  );
  const today = new Date(beijingMidnight.getTime() + DAILY_AT_BEIJING_MINUTES * 60_000);
  return today > now ? today : new Date(today.getTime() + 86_400_000);
}

/** The two self-rescheduling jobs, enqueued once per database: their dedupe keys stay taken while they live. */
export async function scheduleOperations(db: Db, clock: Clock): Promise<void> {
  const now = clock.now();
  await enqueue(db, RECONCILE_DAILY_JOB, {}, { runAt: nextDailyRun(now), dedupeKey: 'schedule:reconciliation' });
  await enqueue(db, CONSISTENCY_CHECK_JOB, {}, { runAt: now, dedupeKey: 'schedule:consistency' });
}

export function operationsJobs(deps: {
  db: Db;
  clock: Clock;
  providers: Providers;
  reconciliation: ReconciliationService;
  checker: ConsistencyChecker;
}): Pick<JobHandlers, 'reconciliation.daily' | 'reconciliation.run' | 'consistency.check'> {
  const { db, clock } = deps;
  return {
    [RECONCILE_DAILY_JOB]: jobHandler(RECONCILE_DAILY_JOB, async () => {
      const now = clock.now();
      const date = previousBeijingDate(now);
      for (const method of Object.keys(deps.providers)) {
        // One run per provider and day, however often this fires.
        await enqueue(
          db,
          RECONCILE_JOB,
          { provider: method, date },
          { runAt: now, dedupeKey: `reconcile:${method}:${date}`, maxAttempts: 12 },
        );
      }
      return { again: nextDailyRun(now) };
    }),
    [RECONCILE_JOB]: jobHandler(RECONCILE_JOB, async (payload) => {
      const provider = enabledProvider(deps.providers, payload.provider);
      if (!provider) return;
      const outcome = await deps.reconciliation.reconcile(provider, payload.date);
      if (outcome.kind === 'not_ready') return { again: new Date(clock.now().getTime() + 3600_000) };
      if (outcome.kind === 'unknown')
        throw new Error(`bill of ${provider.method} for ${payload.date}: ${outcome.reason}`);
    }),
    [CONSISTENCY_CHECK_JOB]: jobHandler(CONSISTENCY_CHECK_JOB, async () => {
      await deps.checker.check();
      return { again: new Date(clock.now().getTime() + CHECK_EVERY_MS) };
    }),
  };
}
