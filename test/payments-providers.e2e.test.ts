import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCashier, PROVIDERS, CHANNEL } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

describe('paying with each provider through its sandbox, over HTTP', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  it('answers a path no router knows in the contract’s error shape', async () => {
    const res = await t.call('GET', '/no/such/page');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('offers the three enabled methods with their channels', async () => {
    expect((await t.call('GET', '/api/payment-methods')).body).toEqual([
      { method: 'alipay', name: 'Alipay', channels: ['qr', 'page', 'wap', 'app', 'barcode', 'jsapi'] },
      { method: 'wechatpay', name: 'WeChat Pay', channels: ['qr', 'h5', 'jsapi', 'mini', 'app'] },
      { method: 'unionpay', name: 'UnionPay', channels: ['page', 'app'] },
    ]);
  });

  for (const [method, channel] of [
    ['wechatpay', 'qr'],
    ['wechatpay', 'h5'],
    ['unionpay', 'page'],
  ] as const) {
    it(`marks the order paid after a ${method} ${channel} payment and its notification`, async () => {
      const { orderNo, amount } = await t.placeOrder();
      const payment = await t.pay(orderNo, method, channel);
      expect(payment.action.type).toBe(method === 'unionpay' ? 'form' : channel === 'qr' ? 'qr' : 'redirect');
      expect(await openCashier(payment.action)).toMatch(/SANDBOX/i);
      expect((await t.control(method, `pay/${payment.paymentNo}`)).status).toBe(200);
      await t.settle();
      expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });
      const [latest] = await t.notifications(method);
      expect(latest).toMatchObject({ outcome: 'applied', outTradeNo: payment.paymentNo });
    });
  }

  for (const method of PROVIDERS) {
    it(`applies a ${method} notification delivered twice once, acknowledging both`, async () => {
      const { orderNo } = await t.placeOrder();
      const payment = await t.pay(orderNo, method, CHANNEL[method]);
      await openCashier(payment.action);
      await t.control(method, 'faults', { notifications: { fault: 'duplicate' } });
      await t.control(method, `pay/${payment.paymentNo}`);
      await t.settle();
      expect((await t.order(orderNo)).status).toBe('paid');
      const mine = (await t.notifications(method)).filter((n) => n.outTradeNo === payment.paymentNo);
      expect(mine.map((n) => n.outcome).sort()).toEqual(['applied', 'duplicate']);
      const deliveries = await t.mall.sandboxes!.notifier.deliveries(method);
      expect(
        deliveries
          .filter((d) => JSON.stringify(d.payload).includes(payment.paymentNo))
          .every((d) => d.status === 'delivered'),
      ).toBe(true);
    });

    it(`still marks a ${method} order paid when its notification is lost`, async () => {
      const { orderNo } = await t.placeOrder();
      const payment = await t.pay(orderNo, method, CHANNEL[method]);
      await openCashier(payment.action);
      await t.control(method, 'faults', { notifications: { fault: 'drop' } });
      await t.control(method, `pay/${payment.paymentNo}`);
      await t.settle();
      expect((await t.order(orderNo)).status).toBe('pending_payment');
      t.clock.advance(5_000);
      await t.settle();
      expect((await t.order(orderNo)).status).toBe('paid');
    });
  }

  it('lets a customer whose payment failed pay again with another method', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(first.action);
    await t.control('unionpay', `fail/${first.paymentNo}`);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    const second = await t.pay(orderNo, 'wechatpay', 'qr');
    await openCashier(second.action);
    await t.control('wechatpay', `pay/${second.paymentNo}`);
    await t.settle();
    const order = await t.order(orderNo);
    expect(order.status).toBe('paid');
    expect(order.payments.map((p: { method: string; status: string }) => `${p.method}:${p.status}`)).toEqual([
      'unionpay:closed',
      'wechatpay:succeeded',
    ]);
  });
});
