import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

/** What a customer's browser does: open the QR code (a scan) or follow the redirect to the cashier. */
async function openCashier(action: { type: string; content?: string; url?: string }) {
  const res = await fetch(action.type === 'qr' ? action.content! : action.url!);
  expect(res.status).toBe(200);
  expect(await res.text()).toMatch(/SANDBOX/i);
}

describe('paying with Alipay through its sandbox, over HTTP', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'alipay' });
  });
  afterAll(() => t.close());

  for (const channel of ['qr', 'page', 'wap']) {
    it(`marks the order paid after a ${channel} payment and its notification`, async () => {
      const { orderNo, amount } = await t.placeOrder();
      const payment = await t.pay(orderNo, 'alipay', channel);
      expect(payment.action.type).toBe(channel === 'qr' ? 'qr' : 'redirect');
      await openCashier(payment.action);
      expect((await t.control('alipay', `pay/${payment.paymentNo}`)).status).toBe(200);
      expect((await t.order(orderNo)).status).toBe('pending_payment');
      await t.settle();
      const order = await t.order(orderNo);
      expect(order).toMatchObject({ status: 'paid', paidAmount: amount });
      expect(order.payments[0]).toMatchObject({ paymentNo: payment.paymentNo, status: 'succeeded' });
      const [latest] = await t.notifications('alipay');
      expect(latest).toMatchObject({ outcome: 'applied', outTradeNo: payment.paymentNo });
    });
  }

  it('gives the same attempt when asked again for the same method and channel', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'alipay', 'qr');
    const again = await t.pay(orderNo, 'alipay', 'qr');
    expect(again.paymentNo).toBe(first.paymentNo);
    expect(again.action).toEqual(first.action);
  });

  it('closes the earlier attempt at Alipay when the customer picks another channel', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'alipay', 'page');
    await openCashier(first.action);
    const second = await t.pay(orderNo, 'alipay', 'qr');
    expect(second.paymentNo).not.toBe(first.paymentNo);
    const order = await t.order(orderNo);
    expect(order.payments.map((p: { status: string }) => p.status)).toEqual(['closed', 'pending']);
    const trade = await t.control('alipay', `trades/${first.paymentNo}`);
    expect(trade.body.status).toBe('TRADE_CLOSED');
  });

  it('still marks the order paid when the notification is lost: the poll job asks Alipay', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'qr');
    await openCashier(payment.action);
    await t.control('alipay', 'faults', { notifications: { fault: 'drop' } });
    await t.control('alipay', `pay/${payment.paymentNo}`);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    t.clock.advance(5_000);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');
    expect((await t.notifications('alipay')).some((n) => n.outTradeNo === payment.paymentNo)).toBe(false);
  });

  it('closes the trade at Alipay when the order times out, and the customer can no longer pay', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'qr');
    await openCashier(payment.action);
    t.clock.advance(1800_000);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('closed');
    expect((await t.control('alipay', `trades/${payment.paymentNo}`)).body.status).toBe('TRADE_CLOSED');
    const late = await t.call('POST', `/api/orders/${orderNo}/payments`, {
      as: 'customer',
      body: { method: 'alipay', channel: 'qr' },
    });
    expect(late.body.error.code).toBe('invalid_state');
  });

  it('applies the payment instead when the customer paid just before the timeout close', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'qr');
    await openCashier(payment.action);
    await t.control('alipay', 'faults', { notifications: { fault: 'drop' } });
    await t.control('alipay', `pay/${payment.paymentNo}`);
    // The poll job would find it too; jump straight past the TTL so the expiry job meets the paid trade.
    await t.db.query(`DELETE FROM jobs WHERE kind = 'payment.poll'`);
    t.clock.advance(1800_000);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('refuses a method that is not enabled', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await t.call('POST', `/api/orders/${orderNo}/payments`, {
      as: 'customer',
      body: { method: 'wechatpay', channel: 'qr' },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('method_not_enabled');
    expect((await t.call('GET', '/api/payment-methods')).body).toEqual([
      { method: 'alipay', name: 'Alipay', channels: ['qr', 'page', 'wap', 'app', 'barcode', 'jsapi'] },
    ]);
  });

  it('sends the browser back through /return/alipay to the result page, asking Alipay when the notification is late', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'page');
    const cashier = await fetch(payment.action.url!);
    const page = await cashier.text();
    await t.control('alipay', 'faults', { notifications: { fault: 'drop' } });
    // Submit the cashier's Pay form as the browser would, and follow the redirect to return_url.
    const form =
      /<form method="post" action="([^"]+\/cashier\/pay)"><input type="hidden" name="out_trade_no" value="([^"]+)">/.exec(
        page,
      );
    expect(form).not.toBeNull();
    const back = await fetch(new URL(form![1]!, t.url), {
      method: 'POST',
      body: new URLSearchParams({ out_trade_no: form![2]! }),
      redirect: 'manual',
    });
    const returnUrl = back.headers.get('location')!;
    expect(returnUrl).toContain('/return/alipay?');
    const result = await fetch(returnUrl, { redirect: 'manual' });
    expect(result.status).toBe(303);
    expect(result.headers.get('location')).toBe(`/orders/${orderNo}/result?paymentNo=${payment.paymentNo}`);
    expect((await t.order(orderNo)).status).toBe('paid');
  });
});
