import { compareBooks, figures, paymentBooks, unrest } from './storm-books.ts';
import { startCluster, type Cluster } from './storm-cluster.ts';
import { api, customer, login, plans, type CustomerOutcome } from './storm-customers.ts';
import { violations } from './invariants.ts';

export interface StormOptions {
  orders: number;
  /** Mall processes on PostgreSQL (PGlite always runs one). */
  processes?: number;
  /** Customers at once. */
  concurrency?: number;
  seed?: number;
  /** kill -9 this many times, at seeded random moments while the customers are busy. */
  crashes?: number;
  /** How long to wait for the system to go quiet after the last customer. */
  quietTimeoutMs?: number;
  progress?: (line: string) => void;
}

/** The chaos every storm runs under (docs/sandbox.md): 5 % of calls and of sends fail, 1–3 copies up to 3 s late. */
export const STORM_CHAOS = 'calls=0.05,deliveries=0.05,copies=1-3,delayMs=0-3000';

/** Runs `tasks` with at most `limit` in flight; `worker` (0 … limit-1) says which of the `limit` lanes runs it. */
async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T, i: number, worker: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (_: unknown, w: number) => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!, i, w);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A storm: customers place, pay, abandon, cancel and refund orders on every process at once while the
 * sandboxes fail calls, lose sends and deliver notifications several times out of order. Then it waits for
 * quiet and compares the books with the providers'. Answers the figures and every violation found.
 */
export async function runStorm(o: StormOptions) {
  const started = Date.now();
  const seed = o.seed ?? 42;
  const log = o.progress ?? (() => {});
  const concurrency = o.concurrency ?? 32;
  const cluster = await startCluster(
    o.processes ?? 3,
    (i) => ({
      SANDBOX_CHAOS: `${STORM_CHAOS},seed=${seed + i}`,
      // Retries in seconds: Alipay's 4 min retry comes after 0.4 s.
      SANDBOX_TIME_SCALE: '600',
      ORDER_TTL_SECONDS: '15',
      RATE_LIMIT_ORDERS_PER_MINUTE: '100000000',
      // One storm account shops for many plans in a row, abandoned orders included: its held units add up.
      CUSTOMER_MAX_HELD_UNITS: '100000000',
      RATE_LIMIT_LOGINS_PER_MINUTE: '100000000',
      LOG_LEVEL: 'error',
    }),
    // One account per lane of customers at once: each places its own orders, as real shoppers do, instead of
    // every order waiting for the one demo account's row lock (the hold check).
    concurrency,
  );
  try {
    log(
      `storm: ${o.orders} orders on ${cluster.processes} process(es), ${cluster.multiProcess ? 'PostgreSQL' : 'PGlite'}`,
    );
    const urls = cluster.urls();
    const support = await login(urls[0]!, 'support');
    const all = plans(o.orders, seed);
    let done = 0;
    let customersDone = false;
    const outcomes = pool(all, concurrency, async (plan, i, lane) => {
      const shopper = { customer: cluster.customerTokens[lane]!, support };
      const out = await customer(urls[i % urls.length]!, shopper, plan).catch((err: Error): CustomerOutcome => ({
        latePaid: false,
        refundsApplied: 0,
        notes: [`threw: ${err.message}`],
      }));
      if (++done % 500 === 0) log(`storm: ${done} customers done`);
      return out;
    }).finally(() => (customersDone = true));
    const crashed = await crashAtRandom(cluster, o.crashes ?? 0, seed, () => customersDone, log);
    const customerOutcomes = await outcomes;
    const customersSeconds = (Date.now() - started) / 1000;
    log(`storm: customers done in ${customersSeconds.toFixed(0)} s; waiting for quiet`);
    const quiet = await waitForQuiet(cluster, support, o.quietTimeoutMs ?? 120_000);
    log(`storm: ${quiet.quiet ? 'quiet' : 'NOT quiet'} after ${((Date.now() - started) / 1000).toFixed(0)} s`);

    // Quiet is not yet agreement: a late payment whose notifications were all lost is found by the poll
    // job, which asks on its own schedule. Compare the books until they agree (or the deadline passes).
    const agreeBy = Date.now() + (o.quietTimeoutMs ?? 120_000) / 2;
    let found: string[] = [];
    let counts: Awaited<ReturnType<typeof figures>>;
    let mismatches: string[] = [];
    for (;;) {
      const read = await cluster.withDb(async (db) => ({
        found: await violations(db, cluster.initialStock),
        books: await paymentBooks(db),
        counts: await figures(db),
      }));
      ({ found, counts } = read);
      const now = cluster.urls();
      const trades = new Map(
        await pool(read.books, 16, async (b, i) => {
          const res = await fetch(`${now[i % now.length]}/sandbox/${b.method}/_control/trades/${b.paymentNo}`);
          return [b.paymentNo, res.status === 404 ? undefined : await res.json()] as const;
        }),
      );
      mismatches = compareBooks(read.books, trades);
      if (mismatches.length === 0 || Date.now() > agreeBy) break;
      log(`storm: books not yet agreeing (${mismatches.length}); waiting for the poller`);
      await new Promise((r) => setTimeout(r, 3000));
    }
    await cluster.close();

    const scenarios: Record<string, number> = {};
    for (const p of all) scenarios[p.scenario] = (scenarios[p.scenario] ?? 0) + 1;
    // A customer whose process was killed under them saw an error: that is the crash, not a finding.
    const notes = customerOutcomes
      .flatMap((x) => x.notes)
      .filter((n) => !crashed || !/threw|fetch failed|ECONNRESET|socket/i.test(n));
    return {
      processes: cluster.processes,
      database: cluster.multiProcess ? 'postgresql' : 'pglite',
      seconds: { customers: Math.round(customersSeconds), total: Math.round((Date.now() - started) / 1000) },
      scenarios,
      latePayments: customerOutcomes.filter((x, i) => x.latePaid && all[i]!.scenario === 'late').length,
      refundsApplied: customerOutcomes.reduce((a, x) => a + x.refundsApplied, 0),
      crashes: crashed,
      staffRetries: quiet.retries,
      chaos: { ...cluster.chaos },
      ...counts,
      orders: o.orders,
      ordersByStatus: counts.orders,
      duplicates: counts.notifications.duplicate ?? 0,
      quiet: quiet.quiet,
      unrest: quiet.last,
      customerNotes: { count: notes.length, first: notes.slice(0, 10) },
      violations: found,
      mismatches,
    };
  } catch (err) {
    await cluster.close().catch(() => {});
    throw err;
  }
}

/** kill -9 a process `times` times, 0.5–2.5 s apart (seeded), while the customers are still at it. */
async function crashAtRandom(
  cluster: Cluster,
  times: number,
  seed: number,
  over: () => boolean,
  log: (l: string) => void,
): Promise<number> {
  let state = seed >>> 0 || 1;
  const random = () => (state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32;
  let crashed = 0;
  while (crashed < times && !over()) {
    await new Promise((r) => setTimeout(r, 500 + random() * 2000));
    if (over()) break;
    const i = Math.floor(random() * cluster.processes);
    log(`storm: kill -9 process ${i}`);
    await cluster.crash(i);
    crashed++;
  }
  return crashed;
}

/**
 * Waits until nothing moves: every delivery delivered or given up, no job due, no order open, every refund
 * final. Staff do what staff do meanwhile: decide refunds still under review and retry failed ones.
 */
async function waitForQuiet(cluster: Cluster, support: string, timeoutMs: number) {
  const until = Date.now() + timeoutMs;
  let last: Record<string, number> = {};
  let retries = 0;
  while (Date.now() < until) {
    last = await cluster.withDb(unrest);
    if (Object.values(last).every((n) => n === 0)) return { quiet: true, last, retries };
    const url = cluster.urls()[0]!;
    const staff = (method: string, path: string, body?: unknown) => api(url, support, method, path, body);
    for (const r of ((await staff('GET', '/api/admin/refunds?status=pending_review&limit=1000')).body ?? []) as {
      refundNo: string;
    }[]) {
      await staff('POST', `/api/admin/refunds/${r.refundNo}/approve`, { note: 'storm: clearing the queue' });
    }
    for (const r of ((await staff('GET', '/api/admin/refunds?status=failed&limit=1000')).body ?? []) as {
      refundNo: string;
      closed?: boolean;
    }[]) {
      if (r.closed) continue;
      retries++;
      await staff('POST', `/api/admin/refunds/${r.refundNo}/retry`, { note: 'storm: staff retry' });
    }
    await new Promise((r) => setTimeout(r, cluster.multiProcess ? 1000 : 3000));
  }
  return { quiet: false, last, retries };
}

export type StormReport = Awaited<ReturnType<typeof runStorm>>;
