import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCashier } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';
import { pageSession } from './support/page-session.ts';

describe('the return URL discloses nothing and asks no provider for a stranger', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  /** An attempt paid at the provider whose notification was lost: only a query would find the money. */
  async function paidUnnotified(method: 'alipay' | 'wechatpay') {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, method, 'qr');
    await openCashier(payment.action);
    await t.control(method, 'faults', { notifications: { fault: 'drop' } });
    await t.control(method, `pay/${payment.paymentNo}`);
    return { orderNo, paymentNo: payment.paymentNo };
  }
  const status = async (paymentNo: string) =>
    (await t.db.query<{ status: string }>('SELECT status FROM payments WHERE payment_no = $1', [paymentNo]))[0]!.status;

  it('sends an anonymous WeChat Pay return to /orders without the order number, and asks WeChat nothing', async () => {
    const { orderNo, paymentNo } = await paidUnnotified('wechatpay');
    const res = await fetch(`${t.url}/return/wechatpay?paymentNo=${paymentNo}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/orders');
    expect(await res.text()).not.toContain(orderNo);
    expect(await status(paymentNo)).toBe('pending');
  });

  it('sends an Alipay return with a forged sign to /orders, and asks Alipay nothing', async () => {
    const { paymentNo } = await paidUnnotified('alipay');
    const res = await fetch(
      `${t.url}/return/alipay?out_trade_no=${paymentNo}&total_amount=19.99&sign_type=RSA2&sign=Zm9yZ2Vk`,
      { redirect: 'manual' },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/orders');
    expect(await status(paymentNo)).toBe('pending');
  });

  it('sends another customer’s browser to /orders too', async () => {
    const { paymentNo } = await paidUnnotified('wechatpay');
    const stranger = pageSession((path, init) => fetch(t.url + path, init));
    await stranger.login('support');
    const res = await stranger.request(`/return/wechatpay?paymentNo=${paymentNo}`);
    expect(res.headers.get('location')).toBe('/orders');
    expect(await status(paymentNo)).toBe('pending');
  });

  it('takes the owner’s browser to the order’s result, asking WeChat Pay, which finds the money', async () => {
    const { orderNo, paymentNo } = await paidUnnotified('wechatpay');
    const owner = pageSession((path, init) => fetch(t.url + path, init));
    await owner.login('customer');
    const res = await owner.request(`/return/wechatpay?paymentNo=${paymentNo}`);
    expect(res.headers.get('location')).toBe(`/orders/${orderNo}/result?paymentNo=${paymentNo}`);
    expect(await status(paymentNo)).toBe('succeeded');
  });
});
