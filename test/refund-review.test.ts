import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from './support/app.ts';
import { paidOrder } from './support/paid-order.ts';

describe('refund application and review', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ env: { REFUND_DUAL_APPROVAL_ABOVE: '50000' } });
    await t.services.accounts.register('support2@demo.test', 'second-support', 'support');
  });
  afterAll(() => t.close());
  const orderOf = async (orderNo: string) => (await t.call('GET', `/api/orders/${orderNo}`, { as: 'customer' })).body;

  it('applies for all that is refundable by default and puts the order in refund_pending', async () => {
    const o = await paidOrder(t);
    const res = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'changed my mind' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'pending_review', amount: o.amount });
    expect((await orderOf(o.orderNo)).status).toBe('refund_pending');
    const queue = await t.call('GET', '/api/admin/refunds?status=pending_review', { as: 'support' });
    expect(queue.body.map((r: { refundNo: string }) => r.refundNo)).toContain(res.body.refundNo);
  });

  it('rejects with a note: the order goes back to paid, the customer is told, the history says who and when', async () => {
    const o = await paidOrder(t);
    const applied = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'too late', amount: 100 },
    });
    const rejected = await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/reject`, {
      as: 'support',
      body: { note: 'used item' },
    });
    expect(rejected.body.status).toBe('rejected');
    expect((await orderOf(o.orderNo)).status).toBe('paid');
    const detail = await t.call('GET', `/api/refunds/${applied.body.refundNo}`, { as: 'customer' });
    expect(detail.body.history.map((h: { action: string }) => h.action)).toEqual(['applied', 'rejected']);
    expect(detail.body.history[1]).toMatchObject({
      actor: { role: 'support', email: 'support@demo.test' },
      note: 'used item',
      from: 'pending_review',
      to: 'rejected',
    });
    const messages = await t.call('GET', '/api/me/notifications', { as: 'customer' });
    expect(messages.body[0]).toMatchObject({
      kind: 'refund_rejected',
      refundNo: applied.body.refundNo,
      note: 'used item',
    });
    const again = await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'changed mind' },
    });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_reviewed');
  });

  it('refuses bad amounts with stable codes and changes nothing', async () => {
    const o = await paidOrder(t);
    for (const [amount, code] of [
      [0, 'invalid_amount'],
      [-5, 'invalid_amount'],
      [1.5, 'invalid_amount'],
      [o.amount + 1, 'amount_exceeds_refundable'],
    ] as const) {
      const res = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
        as: 'customer',
        body: { reason: 'x', amount },
      });
      expect(res.body.error.code).toBe(code);
    }
    expect(
      (
        await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
          as: 'customer',
          body: { reason: 'x', amount: '100' },
        })
      ).status,
    ).toBe(422);
    expect((await orderOf(o.orderNo)).status).toBe('paid');
    expect((await orderOf(o.orderNo)).refunds).toEqual([]);
  });

  it('keeps the customer from another’s order and from approving', async () => {
    const o = await paidOrder(t);
    await t.services.accounts.register('intruder@demo.test', 'intruder-pass', 'customer');
    const intruder = { token: await t.login('intruder@demo.test', 'intruder-pass') };
    expect(
      (await t.call('POST', `/api/orders/${o.orderNo}/refunds`, { as: intruder, body: { reason: 'mine now' } })).status,
    ).toBe(404);
    const applied = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'ok', amount: 10 },
    });
    expect(
      (
        await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
          as: 'customer',
          body: { note: 'self' },
        })
      ).status,
    ).toBe(403);
    expect((await t.call('GET', `/api/refunds/${applied.body.refundNo}`, { as: intruder })).status).toBe(404);
  });

  it('needs two different staff members above the dual-approval threshold', async () => {
    const o = await paidOrder(t, [{ sku: 'TEA-LONGJING-250', quantity: 5 }]);
    const applied = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'broken' },
    });
    const first = await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    expect(first.body.status).toBe('pending_review');
    const twice = await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok again' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('same_approver');
    const second = await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: { token: await t.login('support2@demo.test', 'second-support') },
      body: { note: 'agreed' },
    });
    expect(second.body.status).toBe('approved');
    expect(second.body.history.map((h: { action: string }) => h.action)).toEqual([
      'applied',
      'first_approval',
      'approved',
    ]);
  });

  it('keeps the refund history append-only', async () => {
    await expect(t.db.query(`UPDATE refund_events SET note = 'edited'`)).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM refund_events')).rejects.toThrow(/append-only/);
  });

  it('never accepts more than was paid, however many apply at once', async () => {
    const o = await paidOrder(t, [{ sku: 'MUG-CELADON', quantity: 2 }]);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.call('POST', `/api/orders/${o.orderNo}/refunds`, { as: 'customer', body: { reason: 'part', amount: 1000 } }),
      ),
    );
    const accepted = results.filter((r) => r.status === 201).length;
    expect(accepted).toBe(Math.floor(o.amount / 1000));
    expect(
      results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'amount_exceeds_refundable'),
    ).toBe(true);
  });
});
