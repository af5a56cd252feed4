import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/db/client.ts';
import { migrate } from '../src/db/migrate.ts';
import { loadOrCreateSecret } from '../src/db/secrets.ts';
import { freshDb } from './support/db.ts';

describe('database', () => {
  let db: Db;
  beforeAll(async () => {
    db = await freshDb();
  });
  afterAll(() => db.close());

  it('is migrated, and migrating again applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ n: number }>('SELECT count(*) AS n FROM schema_migrations');
    expect(rows[0]!.n).toBeGreaterThan(0);
  });

  it('rolls a failed transaction back whole', async () => {
    await expect(
      db.tx(async (sql) => {
        await sql.query(`INSERT INTO products (sku, name, price, stock) VALUES ('TX1', 'x', 1, 1)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.query(`SELECT 1 FROM products WHERE sku = 'TX1'`)).toEqual([]);
  });

  it('makes an app secret once and gives every instance the same one', async () => {
    const [a, b] = await Promise.all([loadOrCreateSecret(db, 'shared'), loadOrCreateSecret(db, 'shared')]);
    expect(a.length).toBe(32);
    expect(b.equals(a)).toBe(true);
    expect((await loadOrCreateSecret(db, 'other')).equals(a)).toBe(false);
  });

  it('returns bigint money columns as numbers', async () => {
    await db.query(`INSERT INTO products (sku, name, price, stock) VALUES ('BIG', 'x', 10000000000, 1)`);
    const [row] = await db.query<{ price: number }>(`SELECT price FROM products WHERE sku = 'BIG'`);
    expect(row!.price).toBe(10000000000);
  });
});
