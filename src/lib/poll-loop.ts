import type { Logger } from './log.ts';

/**
 * Claims and handles rows in batches until none is due (`drain`), and repeats that every `intervalMs`
 * while started. Shared by the job worker and the sandbox notifier: both are tables claimed with
 * SKIP LOCKED, so several processes can run the same loop safely.
 */
export function createPollLoop<T>(opts: {
  claim: () => Promise<T[]>;
  handle: (row: T) => Promise<void>;
  intervalMs: number;
  log: Logger;
  name: string;
}) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;

  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const rows = await opts.claim();
      if (rows.length === 0) return total;
      await Promise.all(rows.map(opts.handle));
      total += rows.length;
    }
  }

  function tick() {
    if (stopped) return;
    running = drain()
      .catch((err) =>
        opts.log.error({ err: err instanceof Error ? err.message : String(err) }, `${opts.name} poll failed`),
      )
      .finally(() => {
        running = undefined;
        if (!stopped) timer = setTimeout(tick, opts.intervalMs);
      });
  }

  return {
    drain,
    start() {
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
