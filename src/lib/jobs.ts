import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db, Sql } from '../db/client.ts';
import type { Clock } from './clock.ts';
import { JOB_KINDS, retryBackoffMs, type JobKind, type JobPayload } from '../job-kinds.ts';
import { createPollLoop } from './poll-loop.ts';
import * as repo from './jobs.repository.ts';

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

/**
 * Called inside the transaction of the change that causes the job, so both commit or neither. A registered
 * kind (src/job-kinds.ts) takes its typed payload.
 */
export async function enqueue<K extends string>(
  sql: Sql,
  kind: K,
  payload: K extends JobKind ? JobPayload<K> : Record<string, unknown>,
  opts: EnqueueOptions,
): Promise<void> {
  await repo.insertJob(sql, {
    kind,
    payload,
    runAt: opts.runAt,
    dedupeKey: opts.dedupeKey ?? null,
    maxAttempts: opts.maxAttempts ?? 25,
  });
}

/** A handler for a registered kind: the stored payload is checked against the kind's schema first. */
export function jobHandler<K extends JobKind>(
  kind: K,
  run: (payload: JobPayload<K>, job: JobRow) => Promise<JobOutcome>,
): JobHandler {
  return (payload, job) => run(JOB_KINDS[kind].parse(payload) as JobPayload<K>, job);
}

/** One handler for every registered kind: app.ts builds this, and a kind without one does not compile. */
export type JobHandlers = { [K in JobKind]: JobHandler };

/** Exponential backoff with a cap (src/job-kinds.ts): 2 s, 4 s, 8 s … 15 min. */
export const backoffMs = retryBackoffMs;

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
    return repo.claimJobs(opts.db, { worker: id, lockedUntil: new Date(now.getTime() + leaseMs), now, batch });
  }

  async function runOne(job: JobRow): Promise<void> {
    const handler = opts.handlers[job.kind];
    try {
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const outcome = await handler(job.payload, job);
      if (outcome && 'again' in outcome) {
        await repo.runAgainAt(opts.db, job.id, id, outcome.again);
      } else {
        await repo.deleteJob(opts.db, job.id, id);
      }
    } catch (err) {
      const now = opts.clock.now();
      const dead = job.attempts >= job.max_attempts;
      const message = err instanceof Error ? err.message : String(err);
      opts.log.warn({ job: job.id, kind: job.kind, attempts: job.attempts, dead, err: message }, 'job failed');
      await repo.failJob(opts.db, {
        id: job.id,
        worker: id,
        runAt: new Date(now.getTime() + retryBackoffMs(job.attempts)),
        error: message.slice(0, 2000),
        deadAt: dead ? now : null,
      });
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
