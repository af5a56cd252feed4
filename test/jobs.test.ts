import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.ts';
import { FakeClock } from '../src/lib/clock.ts';
import { createWorker, enqueue, type JobHandler } from '../src/lib/jobs.ts';
import { silentLogger } from '../src/lib/log.ts';
import { freshDb } from './support/db.ts';

describe('durable jobs', () => {
  let db: Db;
  const clock = new FakeClock();
  const worker = (handlers: Record<string, JobHandler>, leaseMs?: number) =>
    createWorker({ db, clock, log: silentLogger, handlers, leaseMs });
  beforeAll(async () => {
    db = await freshDb();
  });
  beforeEach(() => db.query('DELETE FROM jobs'));
  afterAll(() => db.close());

  it('enqueues with the change that causes it: a rolled-back transaction leaves no job', async () => {
    await db.tx((sql) => enqueue(sql, 'kept', {}, { runAt: clock.now() }));
    await expect(
      db.tx(async (sql) => {
        await enqueue(sql, 'lost', {}, { runAt: clock.now() });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow();
    expect((await db.query<{ kind: string }>('SELECT kind FROM jobs')).map((j) => j.kind)).toEqual(['kept']);
  });

  it('keeps one live job per dedupe key', async () => {
    await enqueue(db, 'k', { n: 1 }, { runAt: clock.now(), dedupeKey: 'same' });
    await enqueue(db, 'k', { n: 2 }, { runAt: clock.now(), dedupeKey: 'same' });
    expect(await db.query('SELECT payload FROM jobs')).toEqual([{ payload: { n: 1 } }]);
  });

  it('retries a failing job with growing backoff and keeps it, dead, after its last attempt', async () => {
    let runs = 0;
    const w = worker({
      flaky: async () => {
        runs++;
        throw new Error('provider down');
      },
    });
    await enqueue(db, 'flaky', {}, { runAt: clock.now(), maxAttempts: 3 });
    await w.drain();
    expect(runs).toBe(1);
    await w.drain();
    expect(runs).toBe(1); // not due yet: backing off
    clock.advance(2_000);
    await w.drain();
    expect(runs).toBe(2);
    clock.advance(2_000);
    await w.drain();
    expect(runs).toBe(2); // the second backoff is longer
    clock.advance(2_000);
    await w.drain();
    expect(runs).toBe(3);
    clock.advance(3600_000);
    await w.drain();
    expect(runs).toBe(3);
    const [job] = await db.query<{ dead_at: Date | null; last_error: string }>('SELECT dead_at, last_error FROM jobs');
    expect(job!.dead_at).not.toBeNull();
    expect(job!.last_error).toBe('provider down');
  });

  it('runs a job again later when its handler asks to, and deletes it when done', async () => {
    let runs = 0;
    const w = worker({
      poll: async () => (++runs < 3 ? { again: new Date(clock.now().getTime() + 5_000) } : undefined),
    });
    await enqueue(db, 'poll', {}, { runAt: clock.now() });
    for (let i = 0; i < 3; i++) {
      await w.drain();
      clock.advance(5_000);
    }
    expect(runs).toBe(3);
    expect(await db.query('SELECT 1 FROM jobs')).toEqual([]);
  });

  it('lets several workers share the table without running any job twice', async () => {
    const seen: number[] = [];
    const handler: JobHandler = async (payload) => {
      seen.push(Number(payload.n));
      await new Promise((r) => setTimeout(r, 1));
    };
    for (let n = 0; n < 60; n++) await enqueue(db, 'count', { n }, { runAt: clock.now() });
    const workers = [worker({ count: handler }), worker({ count: handler }), worker({ count: handler })];
    await Promise.all(workers.map((w) => w.drain()));
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });
});
