import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** Anything that runs a parameterised statement: the database itself or an open transaction. */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a script of several statements with no parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Db extends Sql {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** Statements issued since start, transaction control included (for bench/). */
  readonly statements: { count: number };
  /** PGlite only: the data directory as a tarball, to start other instances from (tests). */
  dumpDataDir?(): Promise<Blob>;
}

const INT8 = 20;
const NUMERIC = 1700;

/** bigint columns hold money in minor units and counts; both fit a JS number well below 2^53. */
pg.types.setTypeParser(INT8, (v) => Number(v));

export interface DbOptions {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  /** PostgreSQL schema to use (tests isolate each file in its own). */
  schema?: string | undefined;
  poolSize?: number;
  /** A PGlite data-dir dump to start from (tests load one migrated template). */
  loadDataDir?: Blob | File | undefined;
}

export async function openDb(opts: DbOptions): Promise<Db> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts) : openPglite(opts);
}

async function openPglite(opts: DbOptions): Promise<Db> {
  const lite = await PGlite.create({
    dataDir: opts.dataDir,
    loadDataDir: opts.loadDataDir,
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
  });
  const statements = { count: 0 };
  const run = async <T>(q: Pick<PGlite, 'query'>, text: string, params?: unknown[]) => {
    statements.count++;
    return (await q.query<T>(text, params as never[])).rows;
  };
  return {
    kind: 'pglite',
    statements,
    query: (text, params) => run(lite, text, params),
    tx: (fn) => {
      statements.count += 2;
      return lite.transaction((t) =>
        fn({ query: (text, params) => run(t, text, params), exec: async (script) => void (await t.exec(script)) }),
      );
    },
    exec: async (script) => {
      await lite.exec(script);
    },
    close: () => lite.close(),
    dumpDataDir: async () => (await lite.dumpDataDir('none')) as Blob,
  };
}

async function openPostgres(url: string, opts: DbOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    options: opts.schema ? `-c search_path=${opts.schema}` : undefined,
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  if (opts.schema) {
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(opts.schema)}`);
  }
  const statements = { count: 0 };
  const run = async <T>(q: pg.Pool | pg.PoolClient, text: string, params?: unknown[]) => {
    statements.count++;
    return (await q.query(text, params)).rows as T[];
  };
  return {
    kind: 'postgres',
    statements,
    query: (text, params) => run(pool, text, params),
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await run(client, 'BEGIN');
        const result = await fn({
          query: (text, params) => run(client, text, params),
          exec: async (script) => void (await client.query(script)),
        });
        await run(client, 'COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    exec: async (script) => {
      await pool.query(script);
    },
    close: () => pool.end(),
  };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe identifier: ${name}`);
  return `"${name}"`;
}
