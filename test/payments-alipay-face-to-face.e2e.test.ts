import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

/** The sandbox's test buyers (sandbox/alipay/payment-codes.ts). */
const CODES = {
  pays: '280000000000000001',
  passwordAfter10s: '280000000000000002',
  never: '280000000000000003',
  insufficient: '280000000000000004',
};

describe('Alipay face-to-face: staff scan the buyer’s payment code, over HTTP against the sandbox', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'alipay' });
  });
  afterAll(() => t.close());

  const scan = (orderNo: string, authCode: string, as: 'support' | 'customer' = 'support') =>
    t.call('POST', `/api/admin/orders/${orderNo}/payment-code`, { as, body: { method: 'alipay', authCode } });
  const trade = async (paymentNo: string) => (await t.control('alipay', `trades/${paymentNo}`)).body;
  /** Sandbox time passes in steps, the job worker and the notifier running at each. */
  async function wait(seconds: number) {
    for (let s = 0; s < seconds; s++) {
      t.clock.advance(1000);
      await t.settle();
    }
  }

  it('lists barcode among Alipay’s channels', async () => {
    const methods = (await t.call('GET', '/api/payment-methods')).body;
    expect(methods[0].channels).toEqual(['qr', 'page', 'wap', 'app', 'barcode', 'jsapi']);
  });

  it('takes the money at once from a buyer who needs no password, then refunds it', async () => {
    const { orderNo, amount } = await t.placeOrder();
    const res = await scan(orderNo, CODES.pays);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: 'barcode', status: 'succeeded', action: { state: 'paid' } });
    expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });
    await t.settle();
    expect((await t.notifications('alipay'))[0]).toMatchObject({ outTradeNo: res.body.paymentNo });

    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'changed my mind' },
    });
    expect(applied.status).toBe(201);
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'at the till' },
    });
    await t.settle();
    expect(await t.order(orderNo)).toMatchObject({ status: 'refunded', refundedAmount: amount });
    expect((await trade(res.body.paymentNo)).refunds).toHaveLength(1);
  });

  it('waits while the buyer types the password, and marks the order paid when the buyer confirms', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await scan(orderNo, CODES.passwordAfter10s);
    expect(res.body).toMatchObject({ status: 'pending', action: { type: 'payment_code', state: 'waiting' } });
    await wait(5);
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    await wait(6);
    expect((await t.order(orderNo)).status).toBe('paid');
    const after = (await t.call('GET', `/api/payments/${res.body.paymentNo}`, { as: 'support' })).body;
    expect(after.status).toBe('succeeded');
    expect((await trade(res.body.paymentNo)).cancelAction).toBeUndefined();
  });

  it('cancels the trade at Alipay when the buyer never confirms in time, and the order stays payable', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await scan(orderNo, CODES.never);
    expect(res.body.action.state).toBe('waiting');
    await wait(25);
    expect((await trade(res.body.paymentNo)).status).toBe('WAIT_BUYER_PAY');
    await wait(10);
    expect(await trade(res.body.paymentNo)).toMatchObject({ status: 'TRADE_CLOSED', cancelAction: 'close' });
    const after = (await t.call('GET', `/api/payments/${res.body.paymentNo}`, { as: 'support' })).body;
    expect(after.status).toBe('closed');
    expect((await t.order(orderNo)).status).toBe('pending_payment');
    // A new code for the same order is taken.
    expect((await scan(orderNo, CODES.pays)).body.status).toBe('succeeded');
  });

  it('never marks the order paid when the buyer pays after mallpay decided to cancel: the cancel gives the money back', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await scan(orderNo, CODES.never);
    const paymentNo = res.body.paymentNo as string;
    // The deadline job has just decided to cancel (saved before it calls Alipay) when the buyer confirms after all:
    // Alipay notifies the payment, and then gets the cancel.
    await wait(25);
    await t.db.query('UPDATE payments SET cancel_requested = true WHERE payment_no = $1', [paymentNo]);
    expect((await t.control('alipay', `pay/${paymentNo}`)).status).toBe(200);
    await wait(10);
    const notes = (await t.notifications('alipay')).filter((n) => n.outTradeNo === paymentNo);
    expect(notes.map((n) => n.outcome)).toContain('duplicate');
    expect(await trade(paymentNo)).toMatchObject({
      status: 'TRADE_CLOSED',
      cancelAction: 'refund',
      refundFen: res.body.amount,
    });
    const after = (await t.call('GET', `/api/payments/${paymentNo}`, { as: 'support' })).body;
    expect(after).toMatchObject({ status: 'failed', orderStatus: 'pending_payment' });
  });

  it('treats a timed-out alipay.trade.pay as waiting, and finds the payment by asking', async () => {
    const { orderNo } = await t.placeOrder();
    // The gateway takes the money but the answer never arrives (HTTP 504).
    await t.control('alipay', 'faults', { call: { fault: 'timeout', api: 'alipay.trade.pay' } });
    const res = await scan(orderNo, CODES.pays);
    expect(res.body).toMatchObject({ status: 'pending', action: { state: 'waiting' } });
    await wait(5);
    expect((await t.order(orderNo)).status).toBe('paid');
  });

  it('sends the same cancel again while Alipay answers it with a system error', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await scan(orderNo, CODES.never);
    await wait(29);
    await t.control('alipay', 'faults', { call: { fault: 'error', api: 'alipay.trade.cancel', times: 2 } });
    await wait(6);
    expect((await trade(res.body.paymentNo)).status).toBe('WAIT_BUYER_PAY');
    await wait(10);
    expect(await trade(res.body.paymentNo)).toMatchObject({ status: 'TRADE_CLOSED', cancelAction: 'close' });
    expect((await t.order(orderNo)).payments[0].status).toBe('closed');
  });

  it('answers insufficient balance as a declined payment and leaves the order payable', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await scan(orderNo, CODES.insufficient);
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      code: 'payment_declined',
      details: { reason: 'ACQ.BUYER_BALANCE_NOT_ENOUGH' },
    });
    const order = await t.order(orderNo);
    expect(order.status).toBe('pending_payment');
    expect(order.payments.map((p: { status: string }) => p.status)).toEqual(['failed']);
  });

  it('refuses a payment code of the wrong shape with 422 and changes nothing', async () => {
    const { orderNo } = await t.placeOrder();
    for (const code of ['12345', '180000000000000001', '28000000000000000000000000001', '28000000000000000a', '']) {
      const res = await scan(orderNo, code);
      expect(res.status).toBe(422);
      expect(['invalid_payment_code', 'validation_failed']).toContain(res.body.error.code);
    }
    expect((await t.order(orderNo)).payments).toEqual([]);
    const jobs = await t.db.query(
      `SELECT 1 FROM jobs WHERE kind = 'payment.code_deadline' AND payload->>'paymentNo' IS NULL`,
    );
    expect(jobs).toEqual([]);
  });

  it('is a staff action: a customer can neither call the staff endpoint nor pick barcode as a channel', async () => {
    const { orderNo } = await t.placeOrder();
    expect((await scan(orderNo, CODES.pays, 'customer')).status).toBe(403);
    const asChannel = await t.call('POST', `/api/orders/${orderNo}/payments`, {
      as: 'customer',
      body: { method: 'alipay', channel: 'barcode' },
    });
    expect(asChannel.status).toBe(422);
    expect(asChannel.body.error.code).toBe('channel_not_supported');
    expect((await t.order(orderNo)).payments).toEqual([]);
  });

  it('refuses a second code while the first is still waiting for its buyer', async () => {
    const { orderNo } = await t.placeOrder();
    await scan(orderNo, CODES.never);
    const again = await scan(orderNo, CODES.pays);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('payment_in_progress');
  });
});
