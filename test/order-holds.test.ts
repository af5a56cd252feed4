import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockOf, testApp, type TestApp } from './support/app.ts';

/** Issue 21.4: one customer must not be able to hold a product's whole stock in unpaid orders. */
describe('stock hold limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({
      env: { RATE_LIMIT_ORDERS_PER_MINUTE: '1000', ORDER_MAX_UNITS_PER_PRODUCT: '5', CUSTOMER_MAX_HELD_UNITS: '8' },
    });
    await t.db.query(`INSERT INTO products (sku, name, price, stock) VALUES ('LIMITED', 'Limited run', 500, 100)`);
  });
  afterAll(() => t.close());

  const order = (quantity: number, sku = 'LIMITED') =>
    t.call('POST', '/api/orders', { as: 'customer', body: { items: [{ sku, quantity }] } });

  it('refuses more units of one product than one order may take, with quantity_limit_exceeded, taking no stock', async () => {
    const res = await order(6);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'quantity_limit_exceeded', details: { skus: ['LIMITED'] } });
    expect(await stockOf(t.db, 'LIMITED')).toBe(100);
  });

  it('counts the same product listed twice in one order against the per-order limit', async () => {
    const res = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: {
        items: [
          { sku: 'LIMITED', quantity: 3 },
          { sku: 'LIMITED', quantity: 3 },
        ],
      },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('quantity_limit_exceeded');
  });

  it('refuses an order that would take the customer past the units they may hold unpaid, and allows it again once they cancel', async () => {
    const first = await order(5);
    expect(first.status).toBe(201);
    const second = await order(4);
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'hold_limit_reached', details: { held: 5 } });
    expect(await stockOf(t.db, 'LIMITED')).toBe(95);
    expect((await order(3)).status).toBe(201);

    const cancelled = await t.call('POST', `/api/orders/${first.body.orderNo}/cancel`, { as: 'customer' });
    expect(cancelled.status).toBe(200);
    expect((await order(4)).status).toBe(201);
  });

  it('counts concurrent orders of one customer one after another: never more than the limit held', async () => {
    const [hoarder] = await t.db.query<{ id: number }>(
      `INSERT INTO users (email, password_hash, role) SELECT 'hoarder@demo.test', password_hash, 'customer' FROM users WHERE email = 'customer@demo.test' RETURNING id`,
    );
    expect(hoarder).toBeDefined();
    const token = { token: await t.login('hoarder@demo.test', 'demo-customer') };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        t.call('POST', '/api/orders', { as: token, body: { items: [{ sku: 'LIMITED', quantity: 2 }] } }),
      ),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'hold_limit_reached')).toBe(true);
  });

  it('places concurrent orders of one customer that each carry an Idempotency-Key without waiting on each other forever', async () => {
    // The key's row references the user (KEY SHARE on it) before the hold check locks the user's row.
    const [buyer] = await t.db.query<{ id: number }>(
      `INSERT INTO users (email, password_hash, role) SELECT 'keyed@demo.test', password_hash, 'customer' FROM users WHERE email = 'customer@demo.test' RETURNING id`,
    );
    expect(buyer).toBeDefined();
    const token = { token: await t.login('keyed@demo.test', 'demo-customer') };
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.call('POST', '/api/orders', {
          as: token,
          headers: { 'idempotency-key': `keyed-${i}` },
          body: { items: [{ sku: 'LIMITED', quantity: 1 }] },
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(201));
  }, 20_000);
});
