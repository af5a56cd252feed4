import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { merchantNo } from '../src/lib/ids.ts';
import { silentLogger } from '../src/lib/log.ts';
import { buildProviders } from '../src/providers/build.ts';
import { EARLY_TRADE_BILL_COLUMNS } from '../sandbox/wechatpay/trade-bill.ts';
import { openCashier } from './support/browser-actions.ts';
import { startTestMall, type TestMall } from './support/mall.ts';

const DAY = '2026-11-25';

/**
 * A merchant who never enabled 免充值优惠券 still gets WeChat Pay's early trade bill layout: no 应结订单金额,
 * 代金券金额, 订单金额 or 申请退款金额, its amounts in 总金额 and 退款金额 (docs/protocols/wechatpay.md#trade-bill).
 */
describe('reconciliation against an early-format WeChat Pay trade bill', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall({ PAYMENT_METHODS: 'wechatpay' }); // 2026-11-25 20:00 in Beijing
  });
  afterAll(() => t.close());

  async function paidOrder() {
    const { orderNo, amount } = await t.placeOrder();
    const payment = await t.pay(orderNo, 'wechatpay', 'qr');
    await openCashier(payment.action);
    await t.control('wechatpay', `pay/${payment.paymentNo}`);
    await t.settle();
    return { orderNo, amount, paymentNo: payment.paymentNo };
  }

  it('finds no false difference for payments and refunds, and still finds a refund mallpay never made', async () => {
    expect((await t.control('wechatpay', 'bill-format', { format: 'early' })).body).toEqual({ format: 'early' });
    expect((await t.control('wechatpay', 'bill-format', { format: 'old' })).status).toBe(400);

    await paidOrder();
    const refunded = await paidOrder();
    const applied = await t.call('POST', `/api/orders/${refunded.orderNo}/refunds`, {
      as: 'customer',
      body: { reason: 'changed my mind' },
    });
    expect(applied.status).toBe(201);
    await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
      as: 'support',
      body: { note: 'ok' },
    });
    await t.settle();
    await t.control('wechatpay', `refunds/${applied.body.refundNo}`, { outcome: 'succeeded' });
    await t.settle();
    expect((await t.call('GET', `/api/refunds/${applied.body.refundNo}`, { as: 'customer' })).body.status).toBe(
      'succeeded',
    );

    // The merchant's own adapter, used from outside mallpay: a partial refund from the merchant platform.
    const outside = buildProviders(['wechatpay'], t.mall.sandboxes!.credentials, {
      clock: t.clock,
      log: silentLogger,
    }).wechatpay!;
    const other = await paidOrder();
    const [row] = await t.db.query<{ provider_trade_no: string; created_at: Date }>(
      'SELECT provider_trade_no, created_at FROM payments WHERE payment_no = $1',
      [other.paymentNo],
    );
    const strayRefundNo = merchantNo('R', t.clock.now());
    await outside.refund({
      refundNo: strayRefundNo,
      createdAt: t.clock.now(),
      amount: 100,
      reason: 'refunded from the merchant platform',
      payment: {
        paymentNo: other.paymentNo,
        channel: 'qr',
        amount: other.amount,
        currency: 'CNY',
        createdAt: row!.created_at,
        providerTradeNo: row!.provider_trade_no,
      },
      notifyUrl: `${t.url}/notify/wechatpay`,
    });
    await t.control('wechatpay', `refunds/${strayRefundNo}`, { outcome: 'succeeded' });

    t.clock.advance(15 * 3600_000); // 11:00 the next morning in Beijing: the day's bills exist
    const outcome = await t.mall.app.services.reconciliation.reconcile(outside, DAY);
    // Three payments and two refunds on the bill; the one difference is the refund mallpay never made.
    expect(outcome).toEqual({ kind: 'done', lines: 5, differences: 1, fresh: 1 });
    const report = (await t.call('GET', `/api/admin/reconciliation?date=${DAY}&provider=wechatpay`, { as: 'support' }))
      .body;
    expect(report.differences).toHaveLength(1);
    expect(JSON.stringify(report.differences[0])).toContain(strayRefundNo);

    // The file really was the early layout: its header is the early columns, none of today's amount columns.
    const [file] = await t.db.query<{ data: { text: string } }>(
      `SELECT data FROM sandbox_records WHERE provider = 'wechatpay' AND kind = 'bill_file' AND key LIKE 'trade:%'`,
    );
    const header = file!.data.text.replace(/^\uFEFF/, '').split('\r\n')[0]!;
    expect(header).toBe(EARLY_TRADE_BILL_COLUMNS.join(','));
    expect(header).not.toMatch(/应结订单金额|代金券金额|订单金额|申请退款金额/);
  });
});
