import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockOf, testApp, type TestApp } from './support/app.ts';

describe('stock under concurrency', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { RATE_LIMIT_ORDERS_PER_MINUTE: '1000' } });
    await t.db.query(`INSERT INTO products (sku, name, price, stock) VALUES ('LAST-TEN', 'Last ten', 500, 10)`);
  });
  afterAll(() => t.close());

  it('sells exactly the 10 left to 100 concurrent orders and refuses the rest with out_of_stock', async () => {
    const token = { token: await t.tokenOf('customer') };
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        t.call('POST', '/api/orders', { as: token, body: { items: [{ sku: 'LAST-TEN', quantity: 1 }] } }),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'out_of_stock')).toBe(true);
    expect(statuses.filter((s) => s === 409)).toHaveLength(90);
    expect(await stockOf(t.db, 'LAST-TEN')).toBe(0);
    const [orders] = await t.db.query<{ n: number }>(`SELECT count(*) AS n FROM order_items WHERE sku = 'LAST-TEN'`);
    expect(orders!.n).toBe(10);
  });

  it('never deadlocks two orders that take the same products in another order', async () => {
    await t.db.query(`UPDATE products SET stock = 100 WHERE sku IN ('MUG-CELADON', 'FAN-SILK')`);
    const token = { token: await t.tokenOf('customer') };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.call('POST', '/api/orders', {
          as: token,
          body: {
            items:
              i % 2
                ? [
                    { sku: 'MUG-CELADON', quantity: 1 },
                    { sku: 'FAN-SILK', quantity: 1 },
                  ]
                : [
                    { sku: 'FAN-SILK', quantity: 1 },
                    { sku: 'MUG-CELADON', quantity: 1 },
                  ],
          },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await stockOf(t.db, 'MUG-CELADON')).toBe(80);
  });
});
