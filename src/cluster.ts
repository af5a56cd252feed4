import cluster, { type Worker } from 'node:cluster';
import type { Logger } from './lib/log.ts';

/** How long the workers have to drain after SIGTERM before the primary ends them (an orchestrator allows ~30 s). */
const DRAIN_DEADLINE_MS = 28_000;
/** A worker that dies is replaced after this pause, so a crash loop does not spin the CPU. */
const RESTART_PAUSE_MS = 1_000;

/** What a worker tells the primary once its server listens and the demo data are seeded. */
export const READY_MESSAGE = 'mallpay:ready';

/**
 * The primary of `MALLPAY_WORKERS` processes: it serves nothing itself. The workers share the listening
 * port (node:cluster hands connections round-robin) and each runs the job worker and the sandbox notifier,
 * which claim their work with `FOR UPDATE SKIP LOCKED`, so N workers never do one job twice.
 *
 * The first worker starts alone (it applies the migrations and seeds the demo data); the others follow
 * once it is ready. A worker that dies after it was ready is replaced; one that dies before any worker was
 * ready means the mall cannot start, and the primary stops with it instead of restarting it forever.
 */
export function runPrimary(workers: number, log: Logger): void {
  let stopping = false;
  let everReady = false;
  const ready = new Set<number>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (msg) => {
      if (msg !== READY_MESSAGE) return;
      ready.add(worker.id);
      log.info({ ready: ready.size, of: workers }, 'worker ready');
      if (everReady) return;
      everReady = true;
      for (let i = 1; i < workers; i++) fork();
    });
    return worker;
  };

  cluster.on('exit', (worker, code, signal) => {
    ready.delete(worker.id);
    const left = Object.keys(cluster.workers ?? {}).length;
    if (stopping) {
      if (left === 0) process.exit(0);
      return;
    }
    if (!everReady) {
      log.error({ pid: worker.process.pid, code, signal }, 'the first worker could not start; stopping');
      process.exit(code || 1);
    }
    log.error(
      { pid: worker.process.pid, code, signal, ready: ready.size, of: workers },
      'a worker died; starting another',
    );
    setTimeout(() => !stopping && fork(), RESTART_PAUSE_MS);
  });

  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal: sig }, 'draining every worker');
      const live = Object.values(cluster.workers ?? {});
      if (live.length === 0) process.exit(0);
      for (const w of live) w?.process.kill('SIGTERM');
      setTimeout(() => {
        log.error({ afterMs: DRAIN_DEADLINE_MS }, 'workers took too long to drain; ending them');
        for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
        process.exit(1);
      }, DRAIN_DEADLINE_MS).unref();
    });
  }

  fork();
}

/** In a worker: leave when the primary is gone (killed -9), so no orphan keeps serving on its own. */
export function followPrimary(onGone: () => void): void {
  if (!cluster.isWorker) return;
  process.on('disconnect', onGone);
  process.send?.(READY_MESSAGE);
}
