import { openDb, type Db } from '../../src/db/client.ts';
import { migrate } from '../../src/db/migrate.ts';
import { DEMO_PRODUCTS } from '../../src/demo/seed.ts';
import { upsertProduct } from '../../src/catalog/catalog.repository.ts';
import { durableDatabase, startMallProcess, type MallProcess } from './process.ts';
import { stormCustomers } from './storm-accounts.ts';

export type ChaosTotals = Record<
  'callErrors' | 'callTimeouts' | 'notifications' | 'copies' | 'failedDeliveries',
  number
>;

/** Enough of every product that stock never runs out in a storm (running out is tested elsewhere). */
const STOCK = 10_000_000;

/**
 * Real `npm start` processes over one database. PostgreSQL: `processes` of them at once. PGlite: one,
 * since a PGlite data directory is open in one process at a time; reading the books then means stopping
 * it (gracefully), opening the directory, and starting it again, which also puts restarts in the storm.
 */
export async function startCluster(
  processes: number,
  env: (i: number) => Record<string, string>,
  /** Customer accounts to make, each with a session: their bearer tokens are `customerTokens`. */
  customers = 0,
) {
  const database = await durableDatabase();
  const dbOptions = database.env.DATABASE_URL
    ? { databaseUrl: database.env.DATABASE_URL, poolSize: 4 }
    : { dataDir: database.env.DATA_DIR };
  const count = database.multiProcess ? processes : 1;
  const chaos: ChaosTotals = { callErrors: 0, callTimeouts: 0, notifications: 0, copies: 0, failedDeliveries: 0 };

  // Products first, with deep stock: the demo seed leaves existing products as they are.
  const setup = await openDb(dbOptions);
  await migrate(setup);
  for (const p of DEMO_PRODUCTS) await upsertProduct(setup, { ...p, stock: STOCK });
  const initialStock = new Map(DEMO_PRODUCTS.map((p) => [p.sku, STOCK]));
  const customerTokens = await stormCustomers(setup, customers);
  let shared: Db | undefined = database.multiProcess ? setup : (await setup.close(), undefined);

  const envOf = (i: number) => ({ ...database.env, MALLPAY_DEMO: '1', ...env(i) });
  const procs: MallProcess[] = [await startMallProcess(envOf(0))];
  // The first one seeded the demo accounts; the others start together.
  procs.push(...(await Promise.all(Array.from({ length: count - 1 }, (_, i) => startMallProcess(envOf(i + 1))))));

  /** Adds what each sandbox's chaos did (kept in process memory) before a process goes. */
  async function collectChaos(p: MallProcess) {
    const stats = (await (await fetch(`${p.url}/sandbox/_control/chaos`)).json()) as Partial<ChaosTotals> | null;
    for (const k of Object.keys(chaos) as (keyof ChaosTotals)[]) chaos[k] += stats?.[k] ?? 0;
  }

  return {
    processes: count,
    multiProcess: database.multiProcess,
    initialStock,
    customerTokens,
    chaos,
    urls: () => procs.map((p) => p.url),
    /** Runs fn on the books. On PGlite the process stops for it and starts again after. */
    async withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
      if (shared) return fn(shared);
      await collectChaos(procs[0]!);
      await procs[0]!.stop();
      const db = await openDb(dbOptions);
      try {
        return await fn(db);
      } finally {
        await db.close();
        // The same address again: the providers hold notify URLs with this port in them.
        const url = new URL(procs[0]!.url);
        procs[0] = await startMallProcess({ ...envOf(0), PORT: url.port, PUBLIC_URL: procs[0]!.url });
      }
    },
    /**
     * kill -9 process i (no goodbye: in-flight requests, open transactions and held jobs are cut), then
     * start it again at the same address (the providers hold notify URLs with its port in them).
     */
    async crash(i: number): Promise<void> {
      const p = procs[i]!;
      p.proc.kill('SIGKILL');
      await p.exited;
      const url = new URL(p.url);
      procs[i] = await startMallProcess({ ...envOf(i), PORT: url.port, PUBLIC_URL: p.url });
    },
    /** Output of every process, for a failure message. */
    output: () => procs.map((p) => p.output()).join('\n'),
    async close() {
      for (const p of procs) await collectChaos(p).catch(() => {});
      await Promise.all(procs.map((p) => p.stop()));
      await shared?.close();
      shared = undefined;
      await database.drop();
    },
  };
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;
