import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

const tnOf = (p: { action: unknown }) => (p.action as { tn: string }).tn;

describe('UnionPay app: the app consume’s tn, paid by the sandbox’s simulated mobile payment control', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'unionpay' });
  });
  afterAll(() => t.close());

  const control = (tn: string, outcome?: 'pay' | 'fail') =>
    t.control('unionpay', 'app-pay', outcome ? { tn, outcome } : { tn });

  it('lists app among UnionPay’s channels', async () => {
    expect((await t.call('GET', '/api/payment-methods')).body).toEqual([
      { method: 'unionpay', name: 'UnionPay', channels: ['page', 'app'] },
    ]);
  });

  it('answers the tn in test mode; the control pays it, the notification marks it paid, and it refunds', async () => {
    const { orderNo, amount } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'unionpay', 'app');
    expect(payment.action).toMatchObject({ type: 'unionpay_app', mode: '01' });
    expect(tnOf(payment)).toMatch(/^\d{21}$/);
    const paid = await control(tnOf(payment));
    expect(paid.body).toMatchObject({ pay_result: 'success', orderId: payment.paymentNo });
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });

    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, { as: 'customer', body: { reason: 'x' } });
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
    // UnionPay settles a refund later and notifies it.
    expect((await t.control('unionpay', `refunds/${applied.body.refundNo}`, { outcome: 'succeeded' })).status).toBe(
      200,
    );
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'refunded', refundedAmount: amount });
  });

  it('keeps the order payable after the card is declined in the control, and takes a second try', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'unionpay', 'app');
    expect((await control(tnOf(payment), 'fail')).body.pay_result).toBe('fail');
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    expect((await control(tnOf(payment))).body.pay_result).toBe('success');
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('refuses a tn the gateway never issued, and pays nothing', async () => {
    const res = await control('123456789012345678901');
    expect(res.status).toBe(404);
    expect(res.body.pay_result).toBe('fail');
  });
});
