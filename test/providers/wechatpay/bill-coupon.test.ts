import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/lib/clock.ts';
import { billLines, parseTradeBillRows } from '../../../src/providers/wechatpay/trade-bill.ts';
import {
  attempt,
  paymentNo,
  startWechatpayWorld,
  type WechatpayWorld,
} from '../../support/providers/wechatpay.harness.ts';

let w: WechatpayWorld;
beforeAll(async () => {
  w = await startWechatpayWorld({ clock: new FakeClock('2026-11-25T04:00:00Z') }); // noon in Beijing
});
afterAll(() => w.close());

const refund = (a: ReturnType<typeof attempt> & { providerTradeNo: string }, refundNo: string, amount: number) =>
  w.provider.refund({ refundNo, createdAt: w.clock.now(), amount, reason: 'r', payment: a, notifyUrl: w.notifyUrl });

describe('WeChat Pay trade bill of an order paid partly with a merchant-funded coupon', () => {
  it('lists the order total and the refund asked for, so the coupon makes no false difference, and the funds agree', async () => {
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no, 1999));
    expect(await w.control(`pay/${no}`, { coupon: 300 })).toMatchObject({
      status: 200,
      body: { amount: { total: 1999, payer_total: 1699 }, promotion_detail: [{ type: 'NOCASH', amount: 300 }] },
    });
    const state = await w.provider.queryPayment(attempt(w, no, 1999));
    expect(state).toMatchObject({ kind: 'succeeded', amount: 1999 });
    const paid = { ...attempt(w, no, 1999), providerTradeNo: (state as { providerTradeNo: string }).providerTradeNo };
    const refundNo = paymentNo('R');
    await refund(paid, refundNo, 1000);
    await w.control(`refunds/${refundNo}`, { outcome: 'succeeded' });

    w.clock.advance(14 * 3600_000);
    const bill = await w.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    expect(bill.lines.map(({ kind, amount }) => ({ kind, amount }))).toEqual([
      { kind: 'payment', amount: 1999 },
      { kind: 'refund', amount: 1000 },
    ]);
    expect(bill.fundDifferences).toBeUndefined();

    // The file itself: the settled columns are short of the coupon, 订单金额/申请退款金额 are not.
    const res = await w.signedGet('/v3/bill/tradebill?bill_date=2026-11-25');
    const file = await w.download(res.body.download_url as string);
    expect(file.startsWith('\uFEFF')).toBe(true);
    const [header, pay, ref] = file.slice(1).split('\r\n');
    const col = (line: string, name: string) => line.split(',')[header!.split(',').indexOf(name)]!.slice(1);
    expect(['应结订单金额', '代金券金额', '订单金额'].map((c) => col(pay!, c))).toEqual(['16.99', '3.00', '19.99']);
    expect(['退款金额', '申请退款金额', '退款状态'].map((c) => col(ref!, c))).toEqual(['8.50', '10.00', 'SUCCESS']);
  });

  it("writes a closed refund with the bill's own word REFUNDCLOSE, which is no money back", async () => {
    w.clock.set(new Date('2026-11-26T04:00:00Z'));
    const no = paymentNo();
    await w.provider.createPayment(attempt(w, no, 500));
    await w.control(`pay/${no}`);
    const state = (await w.provider.queryPayment(attempt(w, no, 500))) as { providerTradeNo: string };
    const refundNo = paymentNo('R');
    await refund({ ...attempt(w, no, 500), providerTradeNo: state.providerTradeNo }, refundNo, 500);
    await w.control(`refunds/${refundNo}`, { outcome: 'failed' });
    w.clock.advance(14 * 3600_000);
    const res = await w.signedGet('/v3/bill/tradebill?bill_date=2026-11-26');
    const text = await w.download(res.body.download_url as string);
    expect(text).toContain('`REFUNDCLOSE');
    const rows = parseTradeBillRows(text)!;
    expect(rows.map((r) => r.kind)).toEqual(['payment', 'refund']);
    expect(billLines(rows).map((l) => l.kind)).toEqual(['payment']);
  });
});

describe('WeChat Pay trade bill files of either format', () => {
  const early = [
    '交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,企业红包金额,微信退款单号,商户退款单号,退款金额,企业红包退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率',
    '`2016-05-01 10:00:00,`wx1,`1900000109,`,`,`4200001,`P1,`o1,`NATIVE,`SUCCESS,`CMB_CREDIT,`CNY,`10.00,`0.00,`0,`0,`0,`0,`,`,`tea,`,`0.06000,`0.60%',
    '`2016-05-01 11:00:00,`wx1,`1900000109,`,`,`4200001,`P1,`o1,`NATIVE,`REFUND,`CMB_CREDIT,`CNY,`0.00,`0.00,`5000001,`R1,`4.00,`0.00,`ORIGINAL,`SUCCESS,`tea,`,`-0.02000,`0.60%',
    '总交易单数,总交易额,总退款金额,总企业红包退款金额,手续费总金额',
    '`2,`10.00,`4.00,`0.00,`0.04000',
  ].join('\r\n');

  it('reads an early bill without the settled and coupon columns by its header: 总金额 and 退款金额', () => {
    expect(
      parseTradeBillRows(early)?.map(({ kind, paymentNo: p, amount, settled }) => ({ kind, p, amount, settled })),
    ).toEqual([
      { kind: 'payment', p: 'P1', amount: 1000, settled: 1000 },
      { kind: 'refund', p: 'P1', amount: 400, settled: 400 },
    ]);
  });

  it('reads a file that begins with a UTF-8 byte order mark', () => {
    expect(parseTradeBillRows(`\uFEFF${early}`)).toHaveLength(2);
  });

  it('refuses a file with neither pair of amount columns rather than guess', () => {
    expect(parseTradeBillRows(early.replace('总金额,', '金额,'))).toBeNull();
  });
});
