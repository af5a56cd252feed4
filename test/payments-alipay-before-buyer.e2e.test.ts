import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

/**
 * Alipay records a page/wap trade only when the buyer logs in or pays at the cashier (and a precreate only when
 * the QR code is scanned): until then query and close answer ACQ.TRADE_NOT_EXIST. mallpay's poller, order
 * expiry and cancel must read that as "nothing paid, nothing to close", not as an error to retry.
 */
describe('an Alipay page payment before the buyer acts at the cashier', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'alipay' });
  });
  afterAll(() => t.close());

  /** The browser follows the redirect and the cashier shows; the buyer does nothing there. */
  async function openedNotActed(channel = 'page') {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'alipay', channel);
    expect((await fetch(payment.action.url!)).status).toBe(200);
    return { orderNo, paymentNo: payment.paymentNo };
  }

  it('is still pending to the poller while Alipay says the trade does not exist', async () => {
    const { orderNo, paymentNo } = await openedNotActed();
    for (let i = 0; i < 3; i++) {
      t.clock.advance(60_000);
      await t.settle();
    }
    const order = await t.order(orderNo);
    expect(order.status).toBe('pending_payment');
    expect(order.payments[0]).toMatchObject({ paymentNo, status: 'pending' });
    // The sandbox agrees: its order is there, Alipay's trade is not.
    expect((await t.control('alipay', `trades/${paymentNo}`)).body).toMatchObject({ opened: false });
  });

  it.each(['buyer', 'request'])(
    'closes at the order timeout, once, and stops asking, whether the trade exists yet or not (tradeCreation %s)',
    async (tradeCreation) => {
      await t.control('alipay', 'modes', { tradeCreation });
      try {
        const { orderNo, paymentNo } = await openedNotActed('wap');
        t.clock.advance(1800_000);
        await t.settle();
        const order = await t.order(orderNo);
        expect(order.status).toBe('closed');
        expect(order.payments[0]).toMatchObject({ paymentNo, status: 'closed' });
        expect((await t.control('alipay', `trades/${paymentNo}`)).body.status).toBe('TRADE_CLOSED');
        // Past the watch window after the TTL, no job is left about this order: none failed, none is still asking.
        t.clock.advance(11 * 60_000);
        await t.settle();
        const left = await t.db.query<{ kind: string; last_error: string | null }>(
          `SELECT kind, last_error FROM jobs WHERE payload->>'paymentNo' = $1 OR payload->>'orderNo' = $2`,
          [paymentNo, orderNo],
        );
        expect(left).toEqual([]);
      } finally {
        await t.control('alipay', 'modes', { tradeCreation: 'buyer' });
      }
    },
  );

  it('lets the customer cancel, and a buyer who still pays afterwards gets the money back automatically', async () => {
    await t.control('alipay', 'modes', { closeBeforeBuyer: 'no_effect' });
    try {
      const { orderNo, paymentNo } = await openedNotActed();
      const cancel = await t.call('POST', `/api/orders/${orderNo}/cancel`, { as: 'customer' });
      expect(cancel.status).toBe(200);
      expect((await t.order(orderNo)).status).toBe('closed');
      // Alipay's close "failed" (no trade yet) and did not stop the cashier: the buyer pays a minute later.
      t.clock.advance(60_000);
      expect((await t.control('alipay', `pay/${paymentNo}`)).status).toBe(200);
      await t.settle();
      const order = await t.order(orderNo);
      expect(order.status).toBe('closed');
      expect(order.payments[0]).toMatchObject({ paymentNo, status: 'succeeded' });
      expect(order.refunds).toEqual([expect.objectContaining({ status: 'succeeded', amount: order.amount })]);
      expect((await t.control('alipay', `trades/${paymentNo}`)).body).toMatchObject({ status: 'TRADE_CLOSED' });
    } finally {
      await t.control('alipay', 'modes', { closeBeforeBuyer: 'blocks_payment' });
    }
  });
});
