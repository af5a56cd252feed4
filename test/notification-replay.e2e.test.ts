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
    const rejected = (await t.call('GET', `/api/admin/notifications?outTradeNo=${payment.paymentNo}`, { as: 'support' })).body.at(-1);
    expect(rejected).toMatchObject({ outcome: 'rejected', reason: 'unconfirmed' });
    expect((await t.order(orderNo)).status).toBe('pending_payment');

    expect((await t.call('POST', `/api/admin/notifications/${rejected.id}/replay`, { as: 'customer' })).status).toBe(403);
    const replay = await t.call('POST', `/api/admin/notifications/${rejected.id}/replay`, { as: 'support' });
    expect(replay.body).toMatchObject({ replayOf: rejected.id, outcome: 'applied' });
    expect((await t.order(orderNo)).status).toBe('paid');
    // Only rejected notifications are replayed; the applied one is not.
    expect((await t.call('POST', `/api/admin/notifications/${replay.body.id}/replay`, { as: 'support' })).status).toBe(409);
  });
});
