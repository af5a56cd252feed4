import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCashier } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

let t: TestMall;
beforeAll(async () => {
  t = await startTestMall();
});
afterAll(() => t.close());

describe('replaying a rejected notification', () => {
  it('applies a UnionPay notification rejected while its confirming query failed, once replayed by staff', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(payment.action);
    await t.control('unionpay', 'faults', { call: { fault: 'error', api: 'queryTrans', times: 5 } });
    await t.control('unionpay', `pay/${payment.paymentNo}`);
    await t.mall.sandboxes!.notifier.flush();
    await t.control('unionpay', 'faults', { clear: true });
    const rejected = (
      await t.call('GET', `/api/admin/notifications?outTradeNo=${payment.paymentNo}`, { as: 'support' })
    ).body.at(-1);
    expect(rejected).toMatchObject({ outcome: 'rejected', reason: 'unconfirmed' });
    expect((await t.order(orderNo)).status).toBe('pending_payment');

    expect((await t.call('POST', `/api/admin/notifications/${rejected.id}/replay`, { as: 'customer' })).status).toBe(
      403,
    );
    const replay = await t.call('POST', `/api/admin/notifications/${rejected.id}/replay`, { as: 'support' });
    expect(replay.body).toMatchObject({ replayOf: rejected.id, outcome: 'applied' });
    expect((await t.order(orderNo)).status).toBe('paid');
    // Only rejected notifications are replayed; the applied one is not.
    expect((await t.call('POST', `/api/admin/notifications/${replay.body.id}/replay`, { as: 'support' })).status).toBe(
      409,
    );
  });

  it('applies a WeChat Pay notification replayed an hour after it arrived, once the attempt it names is back', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'wechatpay', 'qr');
    await openCashier(payment.action);
    // The attempt is missing when the notification comes (say, a restore from a backup taken just before it).
    await t.db.query(`UPDATE payments SET payment_no = 'X' || payment_no WHERE payment_no = $1`, [payment.paymentNo]);
    await t.control('wechatpay', `pay/${payment.paymentNo}`);
    await t.mall.sandboxes!.notifier.flush();
    const rejected = (
      await t.call('GET', `/api/admin/notifications?outTradeNo=${payment.paymentNo}`, { as: 'support' })
    ).body.at(-1);
    expect(rejected).toMatchObject({ outcome: 'rejected', reason: 'unknown_order' });

    t.clock.advance(60 * 60_000); // far past WeChat's 5 minutes
    // Replayed too early, it is rejected again; that replay, replayed in turn, is still judged by the first arrival.
    const early = await t.call('POST', `/api/admin/notifications/${rejected.id}/replay`, { as: 'support' });
    expect(early.body).toMatchObject({ replayOf: rejected.id, outcome: 'rejected', reason: 'unknown_order' });
    await t.db.query(`UPDATE payments SET payment_no = substr(payment_no, 2) WHERE payment_no = $1`, [
      `X${payment.paymentNo}`,
    ]);
    t.clock.advance(60 * 60_000);
    const replay = await t.call('POST', `/api/admin/notifications/${early.body.id}/replay`, { as: 'support' });
    expect(replay.body).toMatchObject({ replayOf: early.body.id, outcome: 'applied' });
    expect((await t.order(orderNo)).status).toBe('paid');
  });
});
