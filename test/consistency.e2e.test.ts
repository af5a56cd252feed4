import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, openCashier, PROVIDERS } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

let t: TestMall;
beforeAll(async () => {
  t = await startTestMall();
});
afterAll(() => t.close());

describe('the consistency checker', () => {
  for (const method of PROVIDERS) {
    it(`pays a ${method} order whose notification and queries were lost for a while, once the provider answers again`, async () => {
      const { orderNo, amount } = await t.placeOrder();
      const payment = await t.pay(orderNo, method, CHANNEL[method]);
      await openCashier(payment.action);
      await t.control(method, 'faults', { notifications: { fault: 'drop' }, call: { fault: 'error', times: 500 } });
      await t.control(method, `pay/${payment.paymentNo}`);
      // Polls and the expiry job all meet system errors, well past the order's TTL.
      for (let i = 0; i < 8; i++) {
        t.clock.advance(5 * 60_000);
        await t.settle();
      }
      expect((await t.order(orderNo)).status).toBe('pending_payment');

      await t.control(method, 'faults', { clear: true });
      const result = await t.mall.app.services.checker.check();
      expect(result.attempts).toBeGreaterThanOrEqual(1);
      expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });
      // Nothing left for a second check to do about it.
      expect((await t.mall.app.services.checker.check()).attempts).toBe(0);
    });
  }

  it('flags an order whose status disagrees with its payments, once', async () => {
    const { orderNo } = await t.placeOrder();
    await t.db.query(`UPDATE orders SET status = 'paid', updated_at = $2 WHERE order_no = $1`, [
      orderNo,
      t.clock.now(),
    ]);
    expect((await t.mall.app.services.checker.check()).orders).toBe(1);
    expect((await t.mall.app.services.checker.check()).orders).toBe(0);
    const report = (await t.call('GET', '/api/admin/reconciliation?status=flagged', { as: 'support' })).body;
    expect(report.differences).toContainEqual(
      expect.objectContaining({
        kind: 'order_status_inconsistent',
        orderNo,
        status: 'flagged',
        detail: 'paid: paid_without_payment',
      }),
    );
  });
});
