import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockOf, testApp, type TestApp } from './support/app.ts';

describe('orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('prices an order from the catalog, reserves its stock and gives it a provider-safe number', async () => {
    const before = await stockOf(t.db, 'MUG-CELADON');
    const res = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: {
        items: [
          { sku: 'MUG-CELADON', quantity: 2 },
          { sku: 'FAN-SILK', quantity: 1 },
        ],
      },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending_payment', amount: 2 * 4500 + 1999, currency: 'CNY' });
    expect(res.body.orderNo).toMatch(/^[A-Za-z0-9]{8,32}$/);
    expect(new Date(res.body.expiresAt).getTime() - t.clock.now().getTime()).toBe(1800 * 1000);
    expect(await stockOf(t.db, 'MUG-CELADON')).toBe(before - 2);
  });

  it('ignores any price the client sends', async () => {
    const res = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'FAN-SILK', quantity: 1, price: 1 }], amount: 1 },
    });
    expect(res.status).toBe(201);
    expect(res.body.amount).toBe(1999);
  });

  it('lists and shows the customer’s own orders, and hides them from another customer', async () => {
    const placed = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'FAN-SILK', quantity: 1 }] },
    });
    const list = await t.call('GET', '/api/orders', { as: 'customer' });
    expect(list.body.map((o: { orderNo: string }) => o.orderNo)).toContain(placed.body.orderNo);
    const one = await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'customer' });
    expect(one.body).toMatchObject({ orderNo: placed.body.orderNo, payments: [], refunds: [] });

    await t.services.accounts.register('other@demo.test', 'other-password', 'customer');
    const other = { token: await t.login('other@demo.test', 'other-password') };
    const hidden = await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: other });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.code).toBe('order_not_found');
    expect((await t.call('POST', `/api/orders/${placed.body.orderNo}/cancel`, { as: other })).status).toBe(404);
    expect((await t.call('GET', '/api/orders', { as: other })).body).toEqual([]);
  });

  it('lets staff see any order', async () => {
    const placed = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'FAN-SILK', quantity: 1 }] },
    });
    expect((await t.call('GET', `/api/orders/${placed.body.orderNo}`, { as: 'support' })).status).toBe(200);
  });

  it('cancels an unpaid order once and gives its stock back', async () => {
    const before = await stockOf(t.db, 'INK-SET');
    const placed = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'INK-SET', quantity: 3 }] },
    });
    expect(await stockOf(t.db, 'INK-SET')).toBe(before - 3);
    const cancelled = await t.call('POST', `/api/orders/${placed.body.orderNo}/cancel`, { as: 'customer' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('closed');
    expect(await stockOf(t.db, 'INK-SET')).toBe(before);
    const again = await t.call('POST', `/api/orders/${placed.body.orderNo}/cancel`, { as: 'customer' });
    expect(again.body.status).toBe('closed');
    expect(await stockOf(t.db, 'INK-SET')).toBe(before);
  });

  it('answers a repeated Idempotency-Key with the first order and refuses it with another body', async () => {
    const body = { items: [{ sku: 'FAN-SILK', quantity: 2 }] };
    const before = await stockOf(t.db, 'FAN-SILK');
    const headers = { 'idempotency-key': 'order-key-1' };
    const [a, b] = await Promise.all([
      t.call('POST', '/api/orders', { as: 'customer', body, headers }),
      t.call('POST', '/api/orders', { as: 'customer', body, headers }),
    ]);
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.orderNo).toBe(a.body.orderNo);
    expect(await stockOf(t.db, 'FAN-SILK')).toBe(before - 2);
    const other = await t.call('POST', '/api/orders', {
      as: 'customer',
      body: { items: [{ sku: 'FAN-SILK', quantity: 3 }] },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');
    expect(await stockOf(t.db, 'FAN-SILK')).toBe(before - 2);
  });
});
