import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Sql } from '../db/client.ts';
import type { Clock } from './clock.ts';
import { createPollLoop } from './poll-loop.ts';

export interface JobRow {
  id: number;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  max_attempts: number;
}

/** What a handler may answer besides success: run me again at this time (a poll that is not done). */
export type JobOutcome = void | { again: Date };
export type JobHandler = (payload: Record<string, unknown>, job: JobRow) => Promise<JobOutcome>;

export interface EnqueueOptions {
  runAt: Date;
  /** At most one live job per key; a second enqueue with it is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

/** Called inside the transaction of the change that causes the job, so both commit or neither. */
export async function enqueue(
  sql: Sql,
  kind: string,
  payload: Record<string, unknown>,
  opts: EnqueueOptions,
): Promise<void> {
  await sql.query(
    `INSERT INTO jobs (kind, payload, run_at, dedupe_key, max_attempts) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [kind, JSON.stringify(payload), opts.runAt, opts.dedupeKey ?? null, opts.maxAttempts ?? 25],
  );
}

/** Exponential backoff with a cap: 2 s, 4 s, 8 s … 15 min. */
export function backoffMs(attempts: number): number {
  return Math.min(2 ** Math.max(attempts, 1) * 1000, 15 * 60_000);
}

export interface WorkerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  handlers: Record<string, JobHandler>;
  /** How long a claimed job is ours; past it, another process takes it (we crashed or hung). */
  leaseMs?: number;
  batch?: number;
  pollMs?: number;
}

export function createWorker(opts: WorkerOptions) {
  const id = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const leaseMs = opts.leaseMs ?? 60_000;
  const batch = opts.batch ?? 10;

  async function claim(): Promise<JobRow[]> {
    const now = opts.clock.now();
    return opts.db.query<JobRow>(
      `UPDATE jobs SET locked_by = $1, locked_until = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM jobs
         WHERE dead_at IS NULL AND run_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)
         ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
       RETURNING id, kind, payload, attempts, max_attempts`,
      [id, new Date(now.getTime() + leaseMs), now, batch],
    );
  }

  async function runOne(job: JobRow): Promise<void> {
    const handler = opts.handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const outcome = await handler(job.payload, job);
      if (outcome && 'again' in outcome) {
        await opts.db.query(
          'UPDATE jobs SET run_at = $1, attempts = 0, locked_by = NULL, locked_until = NULL WHERE id = $2 AND locked_by = $3',
          [outcome.again, job.id, id],
        );
      } else {
        await opts.db.query('DELETE FROM jobs WHERE id = $1 AND locked_by = $2', [job.id, id]);
      }
    } catch (err) {
      const now = opts.clock.now();
      const dead = job.attempts >= job.max_attempts;
      const message = err instanceof Error ? err.message : String(err);
      opts.log.warn({ job: job.id, kind: job.kind, attempts: job.attempts, dead, err: message }, 'job failed');
      await opts.db.query(
        `UPDATE jobs SET run_at = $1, last_error = $2, dead_at = $3, locked_by = NULL, locked_until = NULL
         WHERE id = $4 AND locked_by = $5`,
        [new Date(now.getTime() + backoffMs(job.attempts)), message.slice(0, 2000), dead ? now : null, job.id, id],
      );
    }
  }

  const loop = createPollLoop({
    claim,
    handle: runOne,
    intervalMs: opts.pollMs ?? 500,
    log: opts.log,
    name: 'job worker',
  });
  return { id, drain: loop.drain, start: loop.start, stop: loop.stop };
}

export type Worker = ReturnType<typeof createWorker>;
