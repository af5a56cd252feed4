import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

/**
 * Issue 21.7: six payment requests for one order at once, switching between WeChat Pay's QR and H5 channels.
 * Whatever the interleaving, one attempt stays open here and at the provider, every other one is closed in
 * both places, and each request gets either an open attempt or a clear 409.
 */
describe('concurrent payment attempts on one order', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'wechatpay' });
  });
  afterAll(() => t.close());

  it('leaves exactly one attempt open, here and at WeChat Pay, after six requests at once', async () => {
    const { orderNo } = await t.placeOrder();
    const channels = ['qr', 'h5', 'qr', 'h5', 'qr', 'h5'];
    const answers = await Promise.all(
      channels.map((channel) =>
        t.call('POST', `/api/orders/${orderNo}/payments`, {
          as: 'customer',
          body: { method: 'wechatpay', channel },
        }),
      ),
    );

    for (const a of answers) {
      expect([201, 409], a.text).toContain(a.status);
      if (a.status === 409) expect(a.body.error.code).toBe('payment_in_progress');
      if (a.status === 201) {
        expect(a.body.status).toBe('pending');
        expect(a.body.action).not.toBeNull();
      }
    }
    expect(answers.some((a) => a.status === 201)).toBe(true);

    const payments = (await t.order(orderNo)).payments as { paymentNo: string; status: string }[];
    const open = payments.filter((p) => p.status === 'pending');
    expect(open).toHaveLength(1);
    expect(payments.filter((p) => p.status !== 'pending').every((p) => p.status === 'closed')).toBe(true);
    // The last 201 answered with the attempt that is still open: nothing closed it after it was given out.
    const lastGiven = answers.filter((a) => a.status === 201).map((a) => a.body.paymentNo as string);
    expect(lastGiven).toContain(open[0]!.paymentNo);

    for (const p of payments) {
      const atProvider = await t.control('wechatpay', `trades/${p.paymentNo}`);
      const state = (atProvider.body.transaction as { trade_state?: string } | undefined)?.trade_state;
      if (p.status === 'pending') expect(state).toBe('NOTPAY');
      // A closed attempt is closed at WeChat Pay too, or never reached it.
      else expect(atProvider.status === 404 || state === 'CLOSED', `${p.paymentNo}: ${state}`).toBe(true);
    }
  });

  it('gives the open attempt again, and no new one, when the same channel is asked for once more', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'wechatpay', 'qr');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        t.call('POST', `/api/orders/${orderNo}/payments`, {
          as: 'customer',
          body: { method: 'wechatpay', channel: 'qr' },
        }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(201));
    expect(new Set(answers.map((a) => a.body.paymentNo))).toEqual(new Set([first.paymentNo]));
    expect((await t.order(orderNo)).payments).toHaveLength(1);
  });
});
