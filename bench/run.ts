/**
 * `npm run bench`: the mall in this process (startMall, background loops off), the load generator in a
 * forked process (load.ts), PostgreSQL when DATABASE_URL is set (a scratch database on that server),
 * else embedded PGlite in a fresh temp directory. Writes bench/results/latest.json and prints a table.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { upsertProduct } from '../src/catalog/catalog.repository.ts';
import { loadConfig } from '../src/config.ts';
import { openDb } from '../src/db/client.ts';
import { startMall, type Mall } from '../src/server.ts';
import { createSandboxes, type Sandboxes } from '../sandbox/sandboxes.ts';
import { backgroundCores, loadAverage, rssMb, sampler, type Usage } from './machine.ts';
import { pgbench, recreateDatabase, dropDatabase, serverVersion, withDatabase, type PgbenchRun } from './pgbench.ts';
import { customerId, notificationBuilder, pendingAttempts, type Method } from './prepare.ts';
import type { LoadCommand, LoadResult } from './protocol.ts';
import { profiled } from './profile.ts';
import { printReport, type NotificationRun, type Results } from './report.ts';
import { countStatements, recordingDb } from './statements.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CLIENTS = (process.env.BENCH_CLIENTS ?? '1,16,64').split(',').map(Number);
const METHODS = (process.env.BENCH_METHODS ?? 'alipay,wechatpay,unionpay').split(',') as Method[];
const CHECKOUT_CLIENTS = 16;
const LOG_LEVEL = process.env.LOG_LEVEL ?? 'warn';
const MALL_DB = 'mallpay_bench_mall';

const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);

/** The load generator, forked once and driven over IPC. */
async function loadGenerator() {
  const child: ChildProcess = fork(path.join(here, 'load.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (r: LoadResult) => void>();
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('message', () => resolve());
  });
  child.on('message', (m: LoadResult) => pending.get(m.id)?.(m));
  let id = 0;
  return {
    pid: child.pid,
    run(cmd: Omit<LoadCommand, 'id'>): Promise<LoadResult> {
      const full = { ...cmd, id: ++id };
      return new Promise((resolve, reject) => {
        pending.set(full.id, (r) => (r.error ? reject(new Error(r.error)) : resolve(r)));
        child.send(full);
      });
    },
    stop: () => child.kill('SIGTERM'),
  };
}

async function main() {
  const started = Date.now();
  const background = { cores: await backgroundCores(), loadAverage: loadAverage() };
  log(
    `before the start the machine was busy with ${background.cores.toFixed(2)} cores of other work (load average ${background.loadAverage.join(' ')})`,
  );
  const baseUrl = process.env.DATABASE_URL;
  const kind = baseUrl ? 'postgres' : 'pglite';
  let dataDir: string | undefined;
  let databaseUrl: string | undefined;
  if (baseUrl) {
    databaseUrl = withDatabase(baseUrl, MALL_DB);
    await recreateDatabase(baseUrl, MALL_DB);
  } else {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mallpay-bench-'));
  }
  const config = loadConfig({
    PORT: '0',
    MALLPAY_DEMO: '1',
    MALLPAY_SANDBOX: '1',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL,
    ORDER_TTL_SECONDS: '7200',
    RATE_LIMIT_ORDERS_PER_MINUTE: '1000000',
    CUSTOMER_MAX_HELD_UNITS: '100000000',
    RATE_LIMIT_LOGINS_PER_MINUTE: '1000000',
  });
  log(
    `database: ${kind}${databaseUrl ? ` (${MALL_DB})` : ` (${dataDir})`}; ${SECONDS} s per measurement; LOG_LEVEL=${LOG_LEVEL}`,
  );
  const rec = recordingDb(await openDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  const mall: Mall<Sandboxes> = await startMall(config, { db: rec.db, background: false, sandbox: createSandboxes });
  const load = await loadGenerator();
  const results: Results = {
    when: new Date().toISOString(),
    database: kind,
    postgresVersion: baseUrl ? await serverVersion(baseUrl) : null,
    seconds: SECONDS,
    logLevel: LOG_LEVEL,
    node: process.version,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memGb: Math.round(os.totalmem() / 2 ** 30),
      kernel: os.release(),
    },
    background,
    memory: { idleMb: 0, underLoadMaxMb: 0, underLoadAvgMb: 0 },
    notifications: [],
    checkout: null,
    statements: [],
    pgbench: null,
    loadAverageAtEnd: [],
    totalSeconds: 0,
  };
  try {
    await new Promise((r) => setTimeout(r, 1000));
    results.memory.idleMb = rssMb();
    log(`mall at ${mall.url}; idle RSS ${results.memory.idleMb.toFixed(0)} MB; load generator pid ${load.pid}`);

    log('statements per operation');
    results.statements = await countStatements(mall, rec);

    const user = await customerId(mall);
    const forge = await notificationBuilder(mall);
    const usage = sampler();
    const loadUsage: Usage[] = [];

    async function notificationRun(
      method: Method,
      clients: number,
      count: number,
      report: boolean,
    ): Promise<NotificationRun> {
      const attempts = await pendingAttempts(mall, user, method, forge.merchantIds[method], count, 7200);
      const t0 = Date.now();
      const requests = await forge.build(method, attempts);
      const buildSeconds = (Date.now() - t0) / 1000;
      const [{ before }] = (await mall.db.query<{ before: number }>(
        'SELECT coalesce(max(id), 0) AS before FROM notifications',
      )) as [{ before: number }];
      usage.start();
      const send = () =>
        load.run({ url: mall.url, concurrency: clients, durationMs: report ? SECONDS * 1000 : 1500, requests });
      const r =
        report && process.env.BENCH_PROFILE === `${method}@${clients}`
          ? await profiled(path.join(os.tmpdir(), `mallpay-${method}-${clients}.cpuprofile`), send)
          : await send();
      const u = usage.stop();
      if (clients === Math.max(...CLIENTS) && report) loadUsage.push(u);
      const outcomes = Object.fromEntries(
        (
          await mall.db.query<{ outcome: string; n: number }>(
            'SELECT outcome, count(*)::int AS n FROM notifications WHERE id > $1 GROUP BY outcome',
            [before],
          )
        ).map((o) => [o.outcome, o.n]),
      );
      const [{ succeeded }] = (await mall.db.query<{ succeeded: number }>(
        "SELECT count(*)::int AS succeeded FROM payments WHERE payment_no = ANY($1) AND status = 'succeeded'",
        [attempts.map((a) => a.paymentNo)],
      )) as [{ succeeded: number }];
      const applied = outcomes.applied ?? 0;
      const run: NotificationRun = {
        provider: method,
        clients,
        prepared: attempts.length,
        sent: r.sent,
        elapsedSeconds: r.elapsedMs / 1000,
        ranOut: r.ranOut,
        outcomes,
        paymentsSucceeded: succeeded,
        appliedPerSecond: applied / (r.elapsedMs / 1000),
        p50Ms: r.p50,
        p90Ms: r.p90,
        p99Ms: r.p99,
        maxMs: r.max,
        statuses: r.statuses,
        failures: r.failures,
        mallCores: u.mallCores,
        loadCores: r.cpuMs / r.elapsedMs,
        postgresCores: u.postgresCores,
        machineCores: u.machineCores,
        rssMaxMb: u.rssMaxMb,
        buildSeconds,
      };
      if (report) {
        log(
          `${method} c=${clients}: ${run.appliedPerSecond.toFixed(0)} applied/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
            `outcomes ${JSON.stringify(outcomes)}, mall ${u.mallCores.toFixed(2)} cores, postgres ${u.postgresCores.toFixed(2)}, machine ${u.machineCores.toFixed(2)}${r.ranOut ? ', RAN OUT of prepared notifications' : ''}`,
        );
      }
      return run;
    }

    for (const method of METHODS) {
      const warm = await notificationRun(method, 4, 300, false);
      let estimate = warm.appliedPerSecond;
      log(`${method} warm-up: ${estimate.toFixed(0)} applied/s at 4 connections`);
      for (const clients of CLIENTS) {
        const count = Math.min(30_000, Math.max(300, Math.ceil(estimate * SECONDS * 1.6)));
        const run = await notificationRun(method, clients, count, true);
        results.notifications.push(run);
        estimate = Math.max(estimate, run.appliedPerSecond);
      }
    }
    results.memory.underLoadMaxMb = Math.max(...loadUsage.map((u) => u.rssMaxMb));
    results.memory.underLoadAvgMb = loadUsage.reduce((a, u) => a + u.rssAvgMb, 0) / Math.max(1, loadUsage.length);

    log(`checkout at ${CHECKOUT_CLIENTS} connections`);
    const tokens: string[] = [];
    for (let i = 0; i < CHECKOUT_CLIENTS; i++) {
      const email = `bench-${i}@bench.test`;
      await mall.app.services.accounts.register(email, 'bench-password', 'customer');
      const res = await fetch(`${mall.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: 'bench-password' }),
      });
      tokens.push(((await res.json()) as { token: string }).token);
    }
    const skus = Array.from({ length: 64 }, (_, i) => `BENCH-${String(i).padStart(2, '0')}`);
    for (const sku of skus)
      await upsertProduct(mall.db, { sku, name: `Bench item ${sku}`, price: 1999, currency: 'CNY', stock: 1_000_000 });
    const checkout = { tokens, skus, method: 'alipay', channel: 'qr' };
    await load.run({ url: mall.url, concurrency: 4, durationMs: 1500, checkout });
    const [{ before }] = (await mall.db.query<{ before: number }>(
      'SELECT coalesce(max(id), 0) AS before FROM payments',
    )) as [{ before: number }];
    usage.start();
    const c = await load.run({ url: mall.url, concurrency: CHECKOUT_CLIENTS, durationMs: SECONDS * 1000, checkout });
    const cu = usage.stop();
    const [{ created }] = (await mall.db.query<{ created: number }>(
      "SELECT count(*)::int AS created FROM payments WHERE id > $1 AND method = 'alipay' AND status = 'pending' AND action IS NOT NULL",
      [before],
    )) as [{ created: number }];
    results.checkout = {
      clients: CHECKOUT_CLIENTS,
      completed: c.sent,
      paymentsCreated: created,
      elapsedSeconds: c.elapsedMs / 1000,
      perSecond: created / (c.elapsedMs / 1000),
      p50Ms: c.p50,
      p90Ms: c.p90,
      p99Ms: c.p99,
      maxMs: c.max,
      statuses: c.statuses,
      failures: c.failures,
      mallCores: cu.mallCores,
      loadCores: c.cpuMs / c.elapsedMs,
      postgresCores: cu.postgresCores,
      machineCores: cu.machineCores,
    };
    log(
      `checkout: ${results.checkout.perSecond.toFixed(0)}/s, p50 ${c.p50.toFixed(1)} ms, p99 ${c.p99.toFixed(1)} ms, statuses ${JSON.stringify(c.statuses)}`,
    );
  } finally {
    load.stop();
    await mall.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    if (baseUrl) await dropDatabase(baseUrl, MALL_DB);
  }

  if (baseUrl) {
    log(`pgbench -i -s 10, then ${CLIENTS.join('/')} clients for ${SECONDS} s each`);
    const pb = await pgbench(baseUrl, CLIENTS, SECONDS);
    results.pgbench = { version: pb.version, runs: pb.runs };
    for (const r of pb.runs as PgbenchRun[]) log(`pgbench c=${r.clients}: ${r.tps.toFixed(0)} tps`);
  }
  results.loadAverageAtEnd = loadAverage();
  results.totalSeconds = (Date.now() - started) / 1000;
  printReport(results);
  await mkdir(path.join(here, 'results'), { recursive: true });
  const file = path.join(here, 'results', process.env.BENCH_RESULTS_FILE ?? 'latest.json');
  await writeFile(file, `${JSON.stringify(results, null, 2)}\n`);
  log(`wrote ${path.relative(process.cwd(), file)} in ${results.totalSeconds.toFixed(0)} s`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
