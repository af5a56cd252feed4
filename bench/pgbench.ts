/**
 * The yardstick on PostgreSQL: pgbench's TPC-B-like default script against the same server, in a scratch
 * database of its own (`pgbench -i -s 10`), at the same client counts and for the same time.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const PGBENCH = process.env.PGBENCH ?? '/usr/bin/pgbench';

/** The server's URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

export async function recreateDatabase(url: string, name: string): Promise<void> {
  if (!/^mallpay_bench[a-z0-9_]*$/.test(name))
    throw new Error(`refusing to recreate ${name}: not a bench scratch database`);
  await admin(url, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
}

export async function dropDatabase(url: string, name: string): Promise<void> {
  if (!/^mallpay_bench[a-z0-9_]*$/.test(name))
    throw new Error(`refusing to drop ${name}: not a bench scratch database`);
  await admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function serverVersion(url: string): Promise<string> {
  return admin(url, async (c) => String((await c.query('SHOW server_version')).rows[0].server_version));
}

export interface PgbenchRun {
  clients: number;
  tps: number;
  latencyAvgMs: number | null;
  transactions: number;
}

function libpqArgs(url: string, db: string): string[] {
  const u = new URL(url);
  return ['-h', u.hostname, '-p', u.port || '5432', '-U', decodeURIComponent(u.username || 'postgres'), db];
}

function env(url: string): NodeJS.ProcessEnv {
  const u = new URL(url);
  return u.password ? { ...process.env, PGPASSWORD: decodeURIComponent(u.password) } : process.env;
}

export async function pgbench(
  url: string,
  clients: number[],
  seconds: number,
): Promise<{ runs: PgbenchRun[]; version: string }> {
  const db = 'mallpay_bench_pgbench';
  await recreateDatabase(url, db);
  try {
    const version = (await run(PGBENCH, ['--version'])).stdout.trim();
    await run(PGBENCH, ['-i', '-s', '10', '-q', ...libpqArgs(url, db)], { env: env(url) });
    const runs: PgbenchRun[] = [];
    for (const c of clients) {
      const { stdout } = await run(
        PGBENCH,
        ['-c', String(c), '-j', '2', '-T', String(seconds), '-M', 'prepared', ...libpqArgs(url, db)],
        { env: env(url) },
      );
      const tps =
        /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout)?.[1] ?? /tps = ([\d.]+)/.exec(stdout)?.[1];
      const lat = /latency average = ([\d.]+) ms/.exec(stdout)?.[1];
      const tx = /number of transactions actually processed: (\d+)/.exec(stdout)?.[1];
      if (!tps) throw new Error(`cannot read pgbench's output:\n${stdout}`);
      runs.push({
        clients: c,
        tps: Number(tps),
        latencyAvgMs: lat ? Number(lat) : null,
        transactions: Number(tx ?? 0),
      });
    }
    return { runs, version };
  } finally {
    await dropDatabase(url, db);
  }
}
