import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

/** The action the shop's app hands to the Alipay app SDK. */
const orderStringOf = (p: { action: unknown }) => (p.action as { orderString: string }).orderString;

describe('Alipay app pay: the order string for the Alipay app SDK, paid by the sandbox’s simulated Alipay app', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'alipay' });
  });
  afterAll(() => t.close());

  const appPay = (orderString: string) => t.control('alipay', 'app-pay', { orderString });
  async function refundWhole(orderNo: string) {
    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, { as: 'customer', body: { reason: 'x' } });
    expect(applied.status).toBe(201);
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
  }

  it('gives a signed alipay.trade.app.pay order string; the app pays it, the notification marks it paid, and it refunds', async () => {
    const { orderNo, amount } = await t.placeOrder();
    const payment = (
      await t.call('POST', `/api/orders/${orderNo}/payments`, {
        as: 'customer',
        body: { method: 'alipay', channel: 'app' },
      })
    ).body;
    expect(payment.action.type).toBe('alipay_app');
    const fields = new URLSearchParams(payment.action.orderString);
    expect(fields.get('method')).toBe('alipay.trade.app.pay');
    expect(JSON.parse(fields.get('biz_content')!)).toMatchObject({
      out_trade_no: payment.paymentNo,
      product_code: 'QUICK_MSECURITY_PAY',
    });
    // Nothing reached Alipay yet: the attempt waits for the app.
    expect((await t.order(orderNo)).status).toBe('pending_payment');

    const paid = await appPay(payment.action.orderString);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ resultStatus: '9000', outTradeNo: payment.paymentNo });
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });
    expect((await t.notifications('alipay'))[0]).toMatchObject({ outcome: 'applied', outTradeNo: payment.paymentNo });

    await refundWhole(orderNo);
    expect(await t.order(orderNo)).toMatchObject({ status: 'refunded', refundedAmount: amount });
  });

  it('refuses an order string whose amount was changed after signing, like the real app, and nothing is paid', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'app');
    const fields = new URLSearchParams(orderStringOf(payment));
    const biz = JSON.parse(fields.get('biz_content')!);
    fields.set('biz_content', JSON.stringify({ ...biz, total_amount: '0.01' }));
    const res = await appPay(fields.toString());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ resultStatus: '4000', subCode: 'isv.invalid-signature' });
    expect((await t.control('alipay', `trades/${payment.paymentNo}`)).status).toBe(404);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('pending_payment');
  });

  it('finds the payment by asking Alipay when the notification is lost', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'app');
    await t.control('alipay', 'faults', { notifications: { fault: 'drop' } });
    expect((await appPay(orderStringOf(payment))).body.resultStatus).toBe('9000');
    t.clock.advance(5_000);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('will not let the simulated app pay the same order string twice', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'app');
    expect((await appPay(orderStringOf(payment))).body.resultStatus).toBe('9000');
    const again = await appPay(orderStringOf(payment));
    expect(again.status).toBe(400);
    expect(again.body.resultStatus).toBe('4000');
  });
});
