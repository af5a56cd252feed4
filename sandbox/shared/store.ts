import type { Db, Sql } from '../../src/db/client.ts';
import type { Clock } from '../../src/lib/clock.ts';

/**
 * A sandbox's own records (trades, refunds …) as JSON documents keyed by provider, kind and key.
 * `update` locks the record for the length of the transaction, so concurrent calls see each other.
 */
export function createRecordStore(db: Db, clock: Clock, provider: string) {
  async function get<T>(kind: string, key: string, sql: Sql = db): Promise<T | undefined> {
    const rows = await sql.query<{ data: T }>(
      'SELECT data FROM sandbox_records WHERE provider = $1 AND kind = $2 AND key = $3',
      [provider, kind, key],
    );
    return rows[0]?.data;
  }
  /** Inserts; answers false (and changes nothing) when the key exists. */
  async function insert<T>(kind: string, key: string, data: T, sql: Sql = db): Promise<boolean> {
    const now = clock.now();
    const rows = await sql.query(
      `INSERT INTO sandbox_records (provider, kind, key, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT DO NOTHING RETURNING key`,
      [provider, kind, key, JSON.stringify(data), now],
    );
    return rows.length === 1;
  }
  async function put<T>(kind: string, key: string, data: T, sql: Sql = db): Promise<void> {
    const now = clock.now();
    await sql.query(
      `INSERT INTO sandbox_records (provider, kind, key, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)
       ON CONFLICT (provider, kind, key) DO UPDATE SET data = EXCLUDED.data, updated_at = EXCLUDED.updated_at`,
      [provider, kind, key, JSON.stringify(data), now],
    );
  }
  /** Reads the record under a row lock and lets fn decide inside the same transaction. */
  async function withLock<T, R>(
    kind: string,
    key: string,
    fn: (current: T | undefined, sql: Sql) => Promise<R>,
  ): Promise<R> {
    return db.tx(async (sql) => {
      const rows = await sql.query<{ data: T }>(
        'SELECT data FROM sandbox_records WHERE provider = $1 AND kind = $2 AND key = $3 FOR UPDATE',
        [provider, kind, key],
      );
      return fn(rows[0]?.data, sql);
    });
  }
  async function list<T>(kind: string, sql: Sql = db): Promise<T[]> {
    const rows = await sql.query<{ data: T }>(
      'SELECT data FROM sandbox_records WHERE provider = $1 AND kind = $2 ORDER BY created_at, key',
      [provider, kind],
    );
    return rows.map((r) => r.data);
  }
  /** The records of a kind whose JSON contains `match` (e.g. {status:'processing'}), found by the index. */
  async function find<T>(kind: string, match: Record<string, unknown>, sql: Sql = db): Promise<T[]> {
    const rows = await sql.query<{ data: T }>(
      'SELECT data FROM sandbox_records WHERE provider = $1 AND kind = $2 AND data @> $3::jsonb ORDER BY created_at, key',
      [provider, kind, JSON.stringify(match)],
    );
    return rows.map((r) => r.data);
  }
  return { get, insert, put, withLock, list, find };
}

export type RecordStore = ReturnType<typeof createRecordStore>;

/** Key material generated on first start and kept, so a restart keeps the same keys. */
export async function loadOrCreateKeys<T>(db: Db, name: string, generate: () => T | Promise<T>): Promise<T> {
  const existing = await db.query<{ material: T }>('SELECT material FROM sandbox_keys WHERE name = $1', [name]);
  if (existing[0]) return existing[0].material;
  const material = await generate();
  await db.query('INSERT INTO sandbox_keys (name, material) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
    name,
    JSON.stringify(material),
  ]);
  // Another instance may have won the race: everyone uses what was stored.
  const stored = await db.query<{ material: T }>('SELECT material FROM sandbox_keys WHERE name = $1', [name]);
  return stored[0]!.material;
}
