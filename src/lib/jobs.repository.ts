import type { Sql } from '../db/client.ts';
import type { JobRow } from './jobs.ts';

export const insertJob = (
  sql: Sql,
  j: { kind: string; payload: unknown; runAt: Date; dedupeKey: string | null; maxAttempts: number },
) =>
  sql.query(
    `INSERT INTO jobs (kind, payload, run_at, dedupe_key, max_attempts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [j.kind, JSON.stringify(j.payload), j.runAt, j.dedupeKey, j.maxAttempts],
  );

/** Claims up to `batch` due jobs for `worker` until `lockedUntil`, skipping rows another worker holds. */
export const claimJobs = (sql: Sql, c: { worker: string; lockedUntil: Date; now: Date; batch: number }) =>
  sql.query<JobRow>(
    `UPDATE jobs SET locked_by = $1, locked_until = $2, attempts = attempts + 1
     WHERE id IN (
       SELECT id FROM jobs
       WHERE dead_at IS NULL AND run_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)
       ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
     RETURNING id, kind, payload, attempts, max_attempts`,
    [c.worker, c.lockedUntil, c.now, c.batch],
  );

/** The job is not done: run it again at `runAt`, with a fresh count of attempts (only if still ours). */
export const runAgainAt = (sql: Sql, id: number, worker: string, runAt: Date) =>
  sql.query(
    'UPDATE jobs SET run_at = $1, attempts = 0, locked_by = NULL, locked_until = NULL WHERE id = $2 AND locked_by = $3',
    [runAt, id, worker],
  );

export const deleteJob = (sql: Sql, id: number, worker: string) =>
  sql.query('DELETE FROM jobs WHERE id = $1 AND locked_by = $2', [id, worker]);

/** The job threw: retry at `runAt`, or mark it dead (`deadAt`) once out of attempts. */
export const failJob = (sql: Sql, f: { id: number; worker: string; runAt: Date; error: string; deadAt: Date | null }) =>
  sql.query(
    `UPDATE jobs SET run_at = $1, last_error = $2, dead_at = $3, locked_by = NULL, locked_until = NULL
     WHERE id = $4 AND locked_by = $5`,
    [f.runAt, f.error, f.deadAt, f.id, f.worker],
  );
