import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNEL, openCashier, PROVIDERS } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

type Method = (typeof PROVIDERS)[number];

describe('refunds through each provider’s sandbox, over HTTP', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  async function paidOrder(method: Method, items = [{ sku: 'TEA-LONGJING-250', quantity: 1 }]) {
    const { orderNo, amount } = await t.placeOrder(items);
    const payment = await t.pay(orderNo, method, CHANNEL[method]);
    await openCashier(payment.action);
    await t.control(method, `pay/${payment.paymentNo}`);
    await t.settle();
    expect((await t.order(orderNo)).status).toBe('paid');
    return { orderNo, amount, paymentNo: payment.paymentNo };
  }
  async function applyAndApprove(orderNo: string, amount?: number) {
    const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'arrived broken', amount },
    });
    expect(applied.status).toBe(201);
    expect((await t.order(orderNo)).status).toBe('refund_pending');
    const approved = await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'photo checked' },
    });
    expect(approved.body.status).toBe('approved');
    await t.settle();
    return applied.body.refundNo as string;
  }
  /** Alipay answers a refund at once; WeChat Pay and UnionPay settle it later and notify. */
  /** The provider finishes the refund's request `requestNo` (the refund's own number unless it was retried). */
  async function providerSettles(method: Method, refundNo: string, requestNo = refundNo) {
    if (method !== 'alipay') {
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('processing');
      expect((await t.control(method, `refunds/${requestNo}`, { outcome: 'succeeded' })).status).toBe(200);
    }
    await t.settle();
  }
  const refundsAtProvider = async (method: Method, paymentNo: string) =>
    ((await t.control(method, `trades/${paymentNo}`)).body.refunds ?? []).length;
  const messages = async () =>
    (await t.call('GET', '/api/me/notifications', { as: 'customer' })).body as { kind: string; refundNo: string }[];

  for (const method of PROVIDERS) {
    it(`refunds a whole ${method} order: apply, approve, provider, refunded, and the customer is told`, async () => {
      const o = await paidOrder(method);
      const refundNo = await applyAndApprove(o.orderNo);
      await providerSettles(method, refundNo);
      const refund = (await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body;
      expect(refund.status).toBe('succeeded');
      expect(refund.history.map((h: { action: string }) => h.action)).toEqual([
        'applied',
        'approved',
        'sent',
        'succeeded',
      ]);
      expect(await t.order(o.orderNo)).toMatchObject({ status: 'refunded', refundedAmount: o.amount });
      expect((await messages()).filter((m) => m.refundNo === refundNo).map((m) => m.kind)).toEqual([
        'refund_succeeded',
        'refund_approved',
      ]);
      expect(await refundsAtProvider(method, o.paymentNo)).toBe(1);
    });

    it(`refunds a ${method} order in two parts: partially_refunded, then refunded`, async () => {
      const o = await paidOrder(method, [{ sku: 'TEA-LONGJING-250', quantity: 2 }]);
      const first = await applyAndApprove(o.orderNo, 10000);
      await providerSettles(method, first);
      expect(await t.order(o.orderNo)).toMatchObject({ status: 'partially_refunded', refundedAmount: 10000 });
      const second = await applyAndApprove(o.orderNo);
      await providerSettles(method, second);
      expect(await t.order(o.orderNo)).toMatchObject({ status: 'refunded', refundedAmount: o.amount });
      expect(await refundsAtProvider(method, o.paymentNo)).toBe(2);
    });

    it(`ends a ${method} refund whose provider call timed out as succeeded, with one refund at the provider`, async () => {
      const o = await paidOrder(method);
      await t.control(method, 'faults', { call: { fault: 'timeout' } });
      const refundNo = await applyAndApprove(o.orderNo);
      // Alipay's trade notification for the refund (confirmed by a query) may already have settled it.
      if (method !== 'alipay')
        expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('processing');
      t.clock.advance(5_000);
      await t.settle();
      if (method !== 'alipay') await t.control(method, `refunds/${refundNo}`, { outcome: 'succeeded' });
      t.clock.advance(10_000);
      await t.settle();
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('succeeded');
      expect((await t.order(o.orderNo)).status).toBe('refunded');
      expect(await refundsAtProvider(method, o.paymentNo)).toBe(1);
    });
  }

  for (const method of ['wechatpay', 'unionpay'] as const) {
    it(`ends a ${method} refund whose notification was dropped through the refund query`, async () => {
      const o = await paidOrder(method);
      const refundNo = await applyAndApprove(o.orderNo);
      await t.control(method, 'faults', { notifications: { fault: 'drop' } });
      await t.control(method, `refunds/${refundNo}`, { outcome: 'succeeded' });
      await t.settle();
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('processing');
      t.clock.advance(10_000);
      await t.settle();
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('succeeded');
      expect((await t.order(o.orderNo)).status).toBe('refunded');
    });
  }

  it('sends a UnionPay refund reviewed two days after the application with the txnTime of sending, and it succeeds', async () => {
    const o = await paidOrder('unionpay');
    const applied = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'arrived broken' },
    });
    t.clock.advance(2 * 24 * 3600_000); // the gateway refuses a txnTime this far from its clock (respCode 10)
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
    await providerSettles('unionpay', applied.body.refundNo);
    expect((await t.call('GET', `/api/refunds/${applied.body.refundNo}`, { as: 'customer' })).body.status).toBe(
      'succeeded',
    );
    expect(await t.order(o.orderNo)).toMatchObject({ status: 'refunded', refundedAmount: o.amount });
  });

  for (const method of ['wechatpay', 'unionpay'] as const) {
    it(`retries a ${method} refund the provider failed for good as a new request under a new number, which succeeds: one refund’s money moved, both numbers kept`, async () => {
      const o = await paidOrder(method);
      const refundNo = await applyAndApprove(o.orderNo);
      await t.control(method, `refunds/${refundNo}`, { outcome: 'failed' });
      t.clock.advance(60_000);
      await t.settle();
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('failed');
      t.clock.advance(3600_000);
      const retried = await t.call('POST', `/api/admin/refunds/${refundNo}/retry`, {
        as: 'support',
        body: { note: 'card account fixed' },
      });
      expect(retried.status).toBe(200);
      await t.settle();
      const sent = (await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.providerRequests as {
        number: string;
        status: string;
      }[];
      // The failed request keeps its number; the retry went out under a new one, the only live one.
      expect(sent.map((q) => q.status)).toEqual(['failed', 'live']);
      expect(sent[0]!.number).toBe(refundNo);
      expect(sent[1]!.number).not.toBe(refundNo);
      await providerSettles(method, refundNo, sent[1]!.number);
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('succeeded');
      expect(await t.order(o.orderNo)).toMatchObject({ status: 'refunded', refundedAmount: o.amount });
      const atProvider = ((await t.control(method, `trades/${o.paymentNo}`)).body.refunds ?? []) as unknown[];
      expect(atProvider).toHaveLength(2);
      expect(
        atProvider
          .map((r) => JSON.stringify(r))
          .filter((r) => /"(status|refund_status)":"(succeeded|SUCCESS)"/.test(r)),
      ).toHaveLength(1);
    });
  }

  it('resends a UnionPay refund the gateway never received under a new orderId and the time of sending, after the query shows the first is not there; WeChat Pay resends the same number', async () => {
    for (const method of ['unionpay', 'wechatpay'] as const) {
      const o = await paidOrder(method);
      // The gateway answers a system error and records nothing: the refund's fate is unknown until asked.
      await t.control(method, 'faults', {
        call: { fault: 'error', api: method === 'unionpay' ? 'backTransReq' : 'refund' },
      });
      const refundNo = await applyAndApprove(o.orderNo);
      expect(await refundsAtProvider(method, o.paymentNo)).toBe(0);
      t.clock.advance(30 * 60_000);
      await t.settle();
      const sent = (await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.providerRequests as {
        number: string;
        status: string;
        sentAt: string;
      }[];
      if (method === 'unionpay') {
        expect(sent.map((q) => q.status)).toEqual(['not_found', 'live']);
        expect(sent[1]!.number).not.toBe(refundNo);
        expect(new Date(sent[1]!.sentAt).getTime()).toBe(t.clock.now().getTime());
      } else expect(sent.map((q) => [q.number, q.status])).toEqual([[refundNo, 'live']]);
      await providerSettles(method, refundNo, sent.at(-1)!.number);
      expect((await t.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('succeeded');
      expect(await refundsAtProvider(method, o.paymentNo)).toBe(1);
    }
  });

  it('never refunds more than was paid under 20 concurrent applications and their concurrent approvals', async () => {
    const o = await paidOrder('alipay', [{ sku: 'TEA-LONGJING-250', quantity: 2 }]);
    const applications = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.call('POST', `/api/orders/${o.orderNo}/refunds`, { as: 'customer', body: { reason: 'part', amount: 2000 } }),
      ),
    );
    const accepted = applications.filter((r) => r.status === 201).map((r) => r.body.refundNo as string);
    expect(accepted).toHaveLength(Math.floor(o.amount / 2000));
    const approvals = await Promise.all(
      accepted.map((no) => t.call('POST', `/api/admin/refunds/${no}/approve`, { as: 'support', body: { note: 'ok' } })),
    );
    expect(approvals.every((a) => a.status === 200)).toBe(true);
    await t.settle();
    const order = await t.order(o.orderNo);
    expect(order).toMatchObject({ status: 'partially_refunded', refundedAmount: accepted.length * 2000 });
    expect(order.refundedAmount).toBeLessThanOrEqual(o.amount);
    expect(await refundsAtProvider('alipay', o.paymentNo)).toBe(accepted.length);
  });

  it('rejects an application: the order goes back to paid and nothing reaches the provider', async () => {
    const o = await paidOrder('alipay');
    const applied = await t.call('POST', `/api/orders/${o.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'no longer needed' },
    });
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/reject`, {
      as: 'support',
      body: { note: 'opened and used' },
    });
    await t.settle();
    expect((await t.order(o.orderNo)).status).toBe('paid');
    expect(await refundsAtProvider('alipay', o.paymentNo)).toBe(0);
    expect((await messages())[0]).toMatchObject({ kind: 'refund_rejected', refundNo: applied.body.refundNo });
  });

  it('gives back money that arrived after the order closed, once and without review', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(payment.action);
    expect((await t.call('POST', `/api/orders/${orderNo}/cancel`, { as: 'customer' })).body.status).toBe('closed');
    // UnionPay has no close: the cashier the customer still has open takes the money.
    await t.control('unionpay', 'faults', { notifications: { fault: 'duplicate' } });
    await t.control('unionpay', `pay/${payment.paymentNo}`);
    await t.settle();
    const order = await t.order(orderNo);
    expect(order.status).toBe('closed');
    expect(order.payments[0].status).toBe('succeeded');
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ automatic: true, status: 'processing', amount: order.amount });
    await t.control('unionpay', `refunds/${order.refunds[0].refundNo}`, { outcome: 'succeeded' });
    await t.settle();
    expect((await t.order(orderNo)).refunds[0].status).toBe('succeeded');
    expect(await refundsAtProvider('unionpay', payment.paymentNo)).toBe(1);
  });

  it('finds money taken after the order closed even when every notification of it is lost, and gives it back', async () => {
    const { orderNo } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(payment.action);
    expect((await t.call('POST', `/api/orders/${orderNo}/cancel`, { as: 'customer' })).body.status).toBe('closed');
    await t.control('unionpay', 'faults', { notifications: { fault: 'drop' } });
    await t.control('unionpay', `pay/${payment.paymentNo}`);
    await t.settle();
    expect((await t.order(orderNo)).payments[0].status).toBe('closed');
    // The poll job keeps asking about a closed attempt for a while after the TTL.
    t.clock.advance(60_000);
    await t.settle();
    const order = await t.order(orderNo);
    expect(order.payments[0].status).toBe('succeeded');
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ automatic: true, amount: order.amount });
  });

  it('gives back the second of two attempts that both took money, once', async () => {
    const { orderNo } = await t.placeOrder();
    const first = await t.pay(orderNo, 'unionpay', 'page');
    await openCashier(first.action);
    const second = await t.pay(orderNo, 'alipay', 'qr');
    await openCashier(second.action);
    await t.control('alipay', `pay/${second.paymentNo}`);
    await t.settle();
    await t.control('unionpay', `pay/${first.paymentNo}`);
    await t.settle();
    await t.settle();
    const order = await t.order(orderNo);
    expect(order.status).toBe('paid');
    expect(order.refunds).toHaveLength(1);
    expect(order.refunds[0]).toMatchObject({ automatic: true, amount: order.amount });
    expect(await refundsAtProvider('unionpay', first.paymentNo)).toBe(1);
    expect(await refundsAtProvider('alipay', second.paymentNo)).toBe(0);
  });
});
