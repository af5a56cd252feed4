import type { Sql } from '../db/client.ts';

/** Reconciliation differences nobody has settled yet, per provider (null: found by the checker without one). */
export const openDifferences = (sql: Sql) =>
  sql.query<{ provider: string | null; count: number; since: Date }>(
    `SELECT provider, count(*)::int AS count, min(found_at) AS since FROM reconciliation_differences
     WHERE status IN ('open', 'flagged') GROUP BY provider ORDER BY provider NULLS LAST`,
  );

/** Jobs due before `overdueBefore` that no worker holds, and dead jobs (out of attempts). */
export const stuckJobs = async (sql: Sql, now: Date, overdueBefore: Date) => {
  const [row] = await sql.query<{ overdue: number; dead: number; since: Date | null }>(
    `SELECT count(*) FILTER (WHERE dead_at IS NULL)::int AS overdue, count(*) FILTER (WHERE dead_at IS NOT NULL)::int AS dead,
            min(CASE WHEN dead_at IS NULL THEN run_at ELSE dead_at END) AS since
     FROM jobs
     WHERE dead_at IS NOT NULL OR (run_at < $2 AND (locked_until IS NULL OR locked_until <= $1))`,
    [now, overdueBefore],
  );
  return row!;
};

/**
 * Per provider: payments that succeeded since `after`, and the last notification from it that was not
 * rejected (a rotated key makes every delivery fail its signature: that is silence too).
 */
export const paymentsAndNotifications = (sql: Sql, after: Date) =>
  sql.query<{ provider: string; succeeded: number; last_notified: Date | null }>(
    `SELECT p.method AS provider, count(*)::int AS succeeded,
            (SELECT max(n.received_at) FROM notifications n WHERE n.provider = p.method AND n.outcome <> 'rejected') AS last_notified
     FROM payments p
     WHERE p.status = 'succeeded' AND p.succeeded_at > $1
     GROUP BY p.method ORDER BY p.method`,
    [after],
  );
