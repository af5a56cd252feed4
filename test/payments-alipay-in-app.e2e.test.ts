import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

const BUYER = '2088000000000042';

describe('Alipay in-app (mini-program / page inside Alipay): alipay.trade.create for the buyer, paid by my.tradePay', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'alipay' });
  });
  afterAll(() => t.close());

  const start = (orderNo: string, body: Record<string, unknown>) =>
    t.call('POST', `/api/orders/${orderNo}/payments`, {
      as: 'customer',
      body: { method: 'alipay', channel: 'jsapi', ...body },
    });
  const tradePay = (tradeNO: string, buyerId: string) => t.control('alipay', 'trade-pay', { tradeNO, buyerId });

  it('answers the trade_no for my.tradePay; the buyer pays in Alipay, the notification marks it paid, and it refunds', async () => {
    const { orderNo, amount } = await t.placeOrder();
    const res = await start(orderNo, { buyerId: BUYER });
    expect(res.status).toBe(201);
    expect(res.body.action.type).toBe('alipay_trade_pay');
    const trade = (await t.control('alipay', `trades/${res.body.paymentNo}`)).body;
    expect(trade).toMatchObject({
      kind: 'jsapi',
      buyerId: BUYER,
      tradeNo: res.body.action.tradeNo,
      status: 'WAIT_BUYER_PAY',
    });

    const paid = await tradePay(res.body.action.tradeNo, BUYER);
    expect(paid.body.resultCode).toBe('9000');
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });

    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, { as: 'customer', body: { reason: 'x' } });
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'refunded', refundedAmount: amount });
  });

  it('lets only the buyer the trade was made for pay it', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await start(orderNo, { buyerId: BUYER });
    const other = await tradePay(res.body.action.tradeNo, '2088000000000099');
    expect(other.status).toBe(400);
    expect(other.body.resultCode).toBe('4000');
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('pending_payment');
  });

  it('refuses a request without the buyer’s Alipay id with 422 before any attempt is made', async () => {
    const { orderNo } = await t.placeOrder();
    for (const body of [{}, { buyerId: '12345' }, { buyerId: 'o_abc' }]) {
      const res = await start(orderNo, body);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect((await t.order(orderNo)).payments).toEqual([]);
  });
});
