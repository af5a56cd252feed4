import { afterEach, describe, expect, it } from 'vitest';
import { merchantNo } from '../src/lib/ids.ts';
import { enqueue } from '../src/lib/jobs.ts';
import { silentLogger } from '../src/lib/log.ts';
import { buildProviders } from '../src/providers/build.ts';
import type { PaymentProvider } from '../src/providers/provider.ts';
import { RECONCILE_DAILY_JOB } from '../src/reconciliation/schedule.ts';
import { CHANNEL, openCashier, PROVIDERS } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

/** Where each sandbox keeps a trade's amount: the test plays a provider whose record changed. */
const AMOUNT_FIELD = {
  alipay: { kind: 'trade', match: 'key = $1', path: '{totalFen}', value: (n: number) => n },
  wechatpay: { kind: 'trade', match: "data->>'out_trade_no' = $1", path: '{total}', value: (n: number) => n },
  unionpay: { kind: 'txn', match: "data->>'orderId' = $1", path: '{txnAmt}', value: (n: number) => String(n) },
} as const;

let t: TestMall | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function paidOrder(m: TestMall, method: (typeof PROVIDERS)[number], opts: { dropNotification?: boolean } = {}) {
  const { orderNo, amount } = await m.placeOrder();
  const payment = await m.pay(orderNo, method, CHANNEL[method]);
  await openCashier(payment.action);
  if (opts.dropNotification) await m.control(method, 'faults', { notifications: { fault: 'drop' } });
  await m.control(method, `pay/${payment.paymentNo}`);
  await m.mall.sandboxes!.notifier.flush();
  return { orderNo, amount, paymentNo: payment.paymentNo };
}

/** The merchant's own adapter, used the way someone outside mallpay would: a trade or refund mallpay never made. */
function outsideAdapter(m: TestMall, method: (typeof PROVIDERS)[number]): PaymentProvider {
  return buildProviders([method], m.mall.sandboxes!.credentials, { clock: m.clock, log: silentLogger })[method]!;
}

describe('daily reconciliation against each sandbox’s bill', () => {
  for (const method of PROVIDERS) {
    it(`finds and resolves or flags every seeded ${method} difference, and a second run finds nothing new`, async () => {
      t = await startTestMall(); // 2026-11-25 20:00 in Beijing
      const m = t;
      // 1. A payment whose notification was lost, and whose poll and expiry jobs never ran (the mall lost track).
      const dropped = await paidOrder(m, method, { dropNotification: true });
      await m.db.query(`DELETE FROM jobs WHERE payload->>'paymentNo' = $1 OR payload->>'orderNo' = $2`, [
        dropped.paymentNo,
        dropped.orderNo,
      ]);
      // 2. A payment whose amount changed at the provider after mallpay applied it.
      const changed = await paidOrder(m, method);
      const f = AMOUNT_FIELD[method];
      await m.db.query(
        `UPDATE sandbox_records SET data = jsonb_set(data, '${f.path}', $2::jsonb) WHERE provider = '${method}' AND kind = '${f.kind}' AND ${f.match}`,
        [changed.paymentNo, JSON.stringify(f.value(changed.amount + 100))],
      );
      // 3. A refund made at the provider that mallpay never recorded.
      const refunded = await paidOrder(m, method);
      const [row] = await m.db.query<{ provider_trade_no: string; created_at: Date }>(
        'SELECT provider_trade_no, created_at FROM payments WHERE payment_no = $1',
        [refunded.paymentNo],
      );
      const outside = outsideAdapter(m, method);
      const strayRefundNo = merchantNo('R', m.clock.now());
      const refund = await outside.refund({
        refundNo: strayRefundNo,
        createdAt: m.clock.now(),
        amount: 100,
        reason: 'refunded from the provider console',
        payment: {
          paymentNo: refunded.paymentNo,
          channel: CHANNEL[method],
          amount: refunded.amount,
          currency: 'CNY',
          createdAt: row!.created_at,
          providerTradeNo: row!.provider_trade_no,
        },
        notifyUrl: `${m.url}/notify/${method}`,
      });
      expect(['succeeded', 'processing']).toContain(refund.kind);
      if (refund.kind === 'processing') await m.control(method, `refunds/${strayRefundNo}`, { outcome: 'succeeded' });
      // 4. A trade mallpay never created, paid by someone.
      const strayNo = merchantNo('P', m.clock.now());
      const created = await outside.createPayment({
        paymentNo: strayNo,
        channel: CHANNEL[method],
        amount: 4321,
        currency: 'CNY',
        createdAt: m.clock.now(),
        subject: 'not from the mall',
        expiresAt: new Date(m.clock.now().getTime() + 30 * 60_000),
        notifyUrl: `${m.url}/notify/${method}`,
        returnUrl: `${m.url}/return/${method}`,
        clientIp: '127.0.0.1',
      });
      if (created.kind !== 'created') throw new Error(JSON.stringify(created));
      await openCashier(created.action);
      await m.control(method, `pay/${strayNo}`);
      await m.mall.sandboxes!.notifier.flush();
      expect((await m.order(dropped.orderNo)).status).toBe('pending_payment');

      // The daily job at 10:30 the next morning reconciles yesterday for every provider.
      await enqueue(
        m.db,
        RECONCILE_DAILY_JOB,
        {},
        { runAt: new Date('2026-11-26T02:30:00Z'), dedupeKey: 'schedule:reconciliation' },
      );
      m.clock.set(new Date('2026-11-26T02:30:00Z'));
      await m.mall.worker.drain();
      await m.mall.worker.drain();

      const report = (
        await m.call('GET', `/api/admin/reconciliation?date=2026-11-25&provider=${method}`, { as: 'support' })
      ).body;
      const found = report.differences.map((d: Record<string, unknown>) => [d.kind, d.paymentNo, d.refundNo, d.status]);
      expect(found.sort()).toEqual(
        [
          ['payment_amount_differs', changed.paymentNo, null, 'flagged'],
          ['payment_missing_here', dropped.paymentNo, null, 'resolved'],
          ['payment_unknown_here', strayNo, null, 'flagged'],
          ['refund_unknown_here', refunded.paymentNo, strayRefundNo, 'flagged'],
        ].sort(),
      );
      expect(report.runs).toMatchObject([
        { provider: method, status: 'done', differences: 4, newDifferences: 4, runs: 1 },
      ]);
      // The missed payment went through the normal path: the order is paid.
      expect(await m.order(dropped.orderNo)).toMatchObject({ status: 'paid', paidAmount: dropped.amount });

      const again = await m.mall.app.services.reconciliation.reconcile(outside, '2026-11-25');
      expect(again).toEqual({ kind: 'done', lines: expect.any(Number), differences: 3, fresh: 0 });
      const after = (
        await m.call('GET', `/api/admin/reconciliation?date=2026-11-25&provider=${method}`, { as: 'support' })
      ).body;
      expect(after.differences).toEqual(report.differences);
      expect(after.runs[0]).toMatchObject({ runs: 2, newDifferences: 0 });
    });
  }

  it('checks WeChat Pay’s fund-flow bill against its trade bill: money moved without a trade is flagged once', async () => {
    t = await startTestMall();
    const m = t;
    const paid = await paidOrder(m, 'wechatpay');
    // A 交易 credit no trade explains, and a fee, which is not a trade and is not checked.
    await m.control('wechatpay', 'fund-entries', {
      wechatNo: '4200000000202611250000000001',
      business: '交易',
      direction: 'income',
      amount: 777,
    });
    await m.control('wechatpay', 'fund-entries', {
      wechatNo: '4200000000202611250000000002',
      business: '扣除交易手续费',
      direction: 'expense',
      amount: 6,
    });
    m.clock.set(new Date('2026-11-26T02:30:00Z'));
    const outcome = await m.mall.app.services.reconciliation.reconcile(outsideAdapter(m, 'wechatpay'), '2026-11-25');
    expect(outcome).toEqual({ kind: 'done', lines: 1, differences: 1, fresh: 1 });
    const report = (
      await m.call('GET', '/api/admin/reconciliation?date=2026-11-25&provider=wechatpay', { as: 'support' })
    ).body;
    expect(report.differences).toMatchObject([
      { kind: 'funds_unexplained', status: 'flagged', providerAmount: 777, paymentNo: null },
    ]);
    expect(report.differences[0].detail).toContain('4200000000202611250000000001');
    // The mall's own payment is in both files: nothing about it.
    expect(JSON.stringify(report.differences)).not.toContain(paid.paymentNo);
    expect(
      await m.mall.app.services.reconciliation.reconcile(outsideAdapter(m, 'wechatpay'), '2026-11-25'),
    ).toMatchObject({ differences: 1, fresh: 0 });
  });

  it('matches the bill’s refund line by the number a retried refund succeeded under, and its notification by that number', async () => {
    t = await startTestMall();
    const m = t;
    const paid = await paidOrder(m, 'wechatpay');
    const applied = await m.call('POST', `/api/orders/${paid.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'arrived broken' },
    });
    const refundNo = applied.body.refundNo as string;
    await m.call('POST', `/api/admin/refunds/${refundNo}/approve`, { as: 'support', body: { note: 'ok' } });
    await m.settle();
    await m.control('wechatpay', `refunds/${refundNo}`, { outcome: 'failed' });
    m.clock.advance(60_000);
    await m.settle();
    expect((await m.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('failed');
    await m.call('POST', `/api/admin/refunds/${refundNo}/retry`, { as: 'support', body: { note: 'again' } });
    await m.settle();
    const requests = (await m.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.providerRequests;
    const retryNo = requests[1].number as string;
    // The provider's refund notification names only the new number: it finds the refund and settles it.
    await m.control('wechatpay', `refunds/${retryNo}`, { outcome: 'succeeded' });
    await m.settle();
    expect((await m.call('GET', `/api/refunds/${refundNo}`, { as: 'customer' })).body.status).toBe('succeeded');
    m.clock.set(new Date('2026-11-26T02:30:00Z'));
    const outcome = await m.mall.app.services.reconciliation.reconcile(outsideAdapter(m, 'wechatpay'), '2026-11-25');
    expect(outcome).toMatchObject({ kind: 'done', differences: 0 });
  });

  it('matches a refund line that does not name its payment by the refund number alone', async () => {
    t = await startTestMall();
    const m = t;
    const paid = await paidOrder(m, 'unionpay');
    const applied = await m.call('POST', `/api/orders/${paid.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'arrived broken', amount: 100 },
    });
    await m.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await m.settle();
    await m.control('unionpay', `refunds/${applied.body.refundNo}`, { outcome: 'succeeded' });
    await m.settle();
    expect((await m.call('GET', `/api/refunds/${applied.body.refundNo}`, { as: 'customer' })).body.status).toBe(
      'succeeded',
    );
    m.clock.set(new Date('2026-11-26T02:30:00Z'));
    // A live UnionPay file names a refund's consume only when the consume settled the same day (or in field 41).
    const real = outsideAdapter(m, 'unionpay');
    const unnamed: PaymentProvider = {
      ...real,
      async downloadBill(date) {
        const bill = await real.downloadBill(date);
        return bill.kind === 'bill'
          ? { ...bill, lines: bill.lines.map((l) => (l.kind === 'refund' ? { ...l, paymentNo: '' } : l)) }
          : bill;
      },
    };
    expect(await m.mall.app.services.reconciliation.reconcile(unnamed, '2026-11-25')).toEqual({
      kind: 'done',
      lines: 2,
      differences: 0,
      fresh: 0,
    });
  });

  it('leaves a day whose bill is not ready yet for a later run', async () => {
    t = await startTestMall();
    const outcome = await t.mall.app.services.reconciliation.reconcile(outsideAdapter(t, 'alipay'), '2026-11-25');
    expect(outcome).toEqual({ kind: 'not_ready' });
    expect(
      (await t.call('GET', '/api/admin/reconciliation?date=2026-11-25', { as: 'support' })).body.runs,
    ).toMatchObject([{ provider: 'alipay', status: 'not_ready' }]);
  });

  it('shows reconciliation to staff only', async () => {
    t = await startTestMall();
    expect((await t.call('GET', '/api/admin/reconciliation', { as: 'customer' })).status).toBe(403);
  });
});
