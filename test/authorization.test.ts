import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';
import { paidOrder } from './support/paid-order.ts';

/**
 * Every operation of /openapi.json, tried with another customer's ids (404, nothing changes) and with a
 * lower role (403) or none (401). New endpoints are covered as soon as they are in the document.
 */
describe('authorization on every endpoint', () => {
  let t: TestApp;
  let ops: { method: string; path: string }[];
  let ids: Record<string, string>;
  let intruder: { token: string };
  const snapshot = () =>
    t.db
      .query(`SELECT (SELECT json_agg(o ORDER BY o.id) FROM orders o) AS orders, (SELECT json_agg(r ORDER BY r.id) FROM refunds r) AS refunds,
                (SELECT json_agg(p ORDER BY p.id) FROM payments p) AS payments`);

  beforeAll(async () => {
    t = await testApp();
    const victim = await paidOrder(t);
    const refund = await t.call('POST', `/api/orders/${victim.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'mine', amount: 100 },
    });
    ids = { orderNo: victim.orderNo, paymentNo: victim.paymentNo, refundNo: refund.body.refundNo, id: '1' };
    await t.services.accounts.register('intruder@demo.test', 'intruder-password', 'customer');
    intruder = { token: await t.login('intruder@demo.test', 'intruder-password') };
    const doc = (await t.call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.keys(byMethod).map((method) => ({ method: method.toUpperCase(), path })),
    );
  });
  afterAll(() => t.close());

  const url = (path: string) => `/api${path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? 'X')}`;
  const body = {
    items: [{ sku: 'FAN-SILK', quantity: 1 }],
    method: 'alipay',
    channel: 'qr',
    reason: 'x',
    amount: 1,
    note: 'x',
  };

  it('finds the operations to check in the OpenAPI document', () => {
    expect(ops.length).toBeGreaterThan(15);
    expect(ops.filter((o) => o.path.startsWith('/admin')).length).toBeGreaterThan(5);
  });

  it('answers 404 to a customer using another customer’s order, payment or refund, and changes nothing', async () => {
    const before = await snapshot();
    const own = ops.filter((o) => !o.path.startsWith('/admin') && /\{(orderNo|paymentNo|refundNo)\}/.test(o.path));
    expect(own.length).toBeGreaterThanOrEqual(6);
    for (const op of own) {
      const res = await t.call(op.method, url(op.path), { as: intruder, body: op.method === 'GET' ? undefined : body });
      expect([op.method, op.path, res.status]).toEqual([op.method, op.path, 404]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 403 to a customer and 401 to nobody on every staff endpoint', async () => {
    const before = await snapshot();
    for (const op of ops.filter((o) => o.path.startsWith('/admin'))) {
      const opts = { body: op.method === 'GET' ? undefined : body };
      expect([op.path, (await t.call(op.method, url(op.path), { ...opts, as: 'customer' })).status]).toEqual([
        op.path,
        403,
      ]);
      expect([op.path, (await t.call(op.method, url(op.path), opts)).status]).toEqual([op.path, 401]);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('answers 401 to nobody on every customer endpoint that is not public', async () => {
    const open = new Set(['GET /products', 'GET /payment-methods', 'POST /auth/login', 'POST /auth/logout']);
    for (const op of ops.filter((o) => !o.path.startsWith('/admin') && !open.has(`${o.method} ${o.path}`))) {
      const res = await t.call(op.method, url(op.path), { body: op.method === 'GET' ? undefined : body });
      expect([op.method, op.path, res.status]).toEqual([op.method, op.path, 401]);
    }
  });
});
