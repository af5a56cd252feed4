import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

/**
 * The whole mall with Alipay's merchant app in certificate mode (公钥证书): credentials are the three certificates.
 * Chosen as `npm start` chooses it, by the setting ALIPAY_SANDBOX_KEY_MODE, through config and server.ts.
 */
describe('an Alipay order paid and refunded in certificate mode, over HTTP', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'alipay', ALIPAY_SANDBOX_KEY_MODE: 'certificate' });
  }, 180_000); // four RSA-2048 key pairs for the certificates
  afterAll(() => t.close());

  it('takes the payment, applies its notification, refunds it and applies the refund notice', async () => {
    const creds = t.mall.sandboxes!.credentials.alipay!;
    expect(creds.certificates).toBeDefined();
    expect(creds.alipayPublicKey).toBeUndefined();

    const { orderNo, amount } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', 'qr');
    expect((await fetch(payment.action.content!)).status).toBe(200);
    expect((await t.control('alipay', `pay/${payment.paymentNo}`)).status).toBe(200);
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });

    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'changed my mind' },
    });
    expect(applied.status).toBe(201);
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
    expect((await t.call('GET', `/api/refunds/${applied.body.refundNo}`, { as: 'customer' })).body.status).toBe(
      'succeeded',
    );
    expect(await t.order(orderNo)).toMatchObject({ status: 'refunded', refundedAmount: amount });
    const outcomes = (await t.notifications('alipay')).map((n) => n.outcome);
    expect(outcomes.length).toBeGreaterThanOrEqual(2);
    expect(outcomes.every((o) => o === 'applied' || o === 'duplicate')).toBe(true);
    expect((await t.control('alipay', `trades/${payment.paymentNo}`)).body).toMatchObject({
      status: 'TRADE_CLOSED',
      refundFen: amount,
    });
  });
});
