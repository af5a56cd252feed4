import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClock } from '../../../src/lib/clock.ts';
import { crossCheckFunds, parseFundFlowBill, type FundEntry } from '../../../src/providers/wechatpay/fund-flow-bill.ts';
import { parseTradeBillRows, type TradeBillRow } from '../../../src/providers/wechatpay/trade-bill.ts';
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

async function paid(amount: number) {
  const no = paymentNo();
  await w.provider.createPayment(attempt(w, no, amount));
  await w.control(`pay/${no}`);
  const state = await w.provider.queryPayment(attempt(w, no, amount));
  if (state.kind !== 'succeeded') throw new Error('not paid');
  return { ...attempt(w, no, amount), providerTradeNo: state.providerTradeNo };
}

describe('WeChat Pay trade bill against the sandbox', () => {
  it('answers not ready until the Beijing day is over, then lists its payments and successful refunds', async () => {
    const a = await paid(1000);
    const b = await paid(2550);
    const refundNo = paymentNo('R');
    await w.provider.refund({
      refundNo,
      createdAt: w.clock.now(),
      amount: 400,
      reason: 'too big',
      payment: a,
      notifyUrl: w.notifyUrl,
    });
    await w.control(`refunds/${refundNo}`, { outcome: 'succeeded' });
    expect(await w.provider.downloadBill('2026-11-25')).toEqual({ kind: 'not_ready' });

    w.clock.advance(14 * 3600_000); // 02:00 the next day
    const bill = await w.provider.downloadBill('2026-11-25');
    if (bill.kind !== 'bill') throw new Error(JSON.stringify(bill));
    expect(
      bill.lines.map(({ kind, paymentNo: p, refundNo: r, amount, providerTradeNo }) => ({
        kind,
        p,
        r,
        amount,
        providerTradeNo,
      })),
    ).toEqual([
      { kind: 'payment', p: a.paymentNo, r: null, amount: 1000, providerTradeNo: a.providerTradeNo },
      { kind: 'payment', p: b.paymentNo, r: null, amount: 2550, providerTradeNo: b.providerTradeNo },
      { kind: 'refund', p: a.paymentNo, r: refundNo, amount: 400, providerTradeNo: a.providerTradeNo },
    ]);
    expect(bill.lines[0]!.at.toISOString()).toBe('2026-11-25T04:00:00.000Z');
    // The download is a signed GET of the download_url, and the file's lines carry WeChat's backticks.
    const download = w.outgoing.find((o) => o.url.includes('/v3/billdownload/file'))!;
    expect(download.headers.get('authorization')).toMatch(/^WECHATPAY2-SHA256-RSA2048 /);
    // Both files were read and agree: the payments came in, the refund went out.
    expect(
      w.outgoing.some((o) => o.url.includes('/v3/bill/fundflowbill?bill_date=2026-11-25&account_type=BASIC')),
    ).toBe(true);
    expect(bill.fundDifferences).toBeUndefined();
  });

  it('serves the fund-flow bill of the basic account: 收入 per payment, 支出 per refund, with a running balance', async () => {
    const res = await w.signedGet('/v3/bill/fundflowbill?bill_date=2026-11-25');
    expect(res.status).toBe(200);
    const file = await w.download(res.body.download_url as string);
    // WeChat's bill files begin with a UTF-8 byte order mark.
    expect(file.startsWith('\uFEFF')).toBe(true);
    const [header, ...rest] = file.slice(1).split('\r\n');
    expect(header).toBe(
      '记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号',
    );
    expect(rest[0]).toMatch(
      /^`2026-11-25 12:00:00,`4200\d+,`1900\d{20},`交易,`交易,`收入,`(10.00|25.50),`\1,`system,`,`P\d+$/,
    );
    const moves = rest.slice(0, 3).map((l) =>
      l
        .split(',')
        .slice(5, 8)
        .map((v) => v.slice(1)),
    );
    expect(moves.map(([dir, amount]) => `${dir} ${amount}`).sort()).toEqual(['支出 4.00', '收入 10.00', '收入 25.50']);
    // Each balance is the one before plus or minus the movement; the refund (accepted last) ends at 31.50.
    let balance = 0;
    for (const [dir, amount, after] of moves)
      expect((balance += (dir === '收入' ? 1 : -1) * Number(amount))).toBeCloseTo(Number(after), 2);
    expect(moves[2]).toEqual(['支出', '4.00', '31.50']);
    expect(rest[3]).toBe('资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额');
    expect(rest[4]).toBe('`3,`2,`35.50,`1,`4.00');
    expect((await w.signedGet('/v3/bill/fundflowbill?bill_date=2026-11-25&account_type=OPERATION')).body).toMatchObject(
      { code: 'NO_STATEMENT_EXIST' },
    );
    expect((await w.signedGet('/v3/bill/fundflowbill?bill_date=2026-11-25&account_type=CASH')).body).toMatchObject({
      code: 'PARAM_ERROR',
    });
  });

  it('reads a day without trades as an empty bill (WeChat makes none)', async () => {
    expect(await w.provider.downloadBill('2026-11-20')).toEqual({ kind: 'bill', lines: [] });
  });

  it('reports a failed file download as unknown, never as an empty day', async () => {
    await paid(300); // 2026-11-26
    w.clock.advance(24 * 3600_000);
    const before = await w.provider.downloadBill('2026-11-26');
    expect(before.kind).toBe('bill');
    await w.control('faults', { call: { fault: 'error', api: 'billdownload' } });
    expect(await w.provider.downloadBill('2026-11-26')).toMatchObject({
      kind: 'unknown',
      reason: 'bill_download_http_500',
    });
  });
});

describe('WeChat Pay fund-flow bill, read and checked against the trade bill', () => {
  const trade = [
    '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注',
    '`2026-11-25 10:00:00,`wx1,`1900000109,`,`,`4200001,`P1,`o1,`NATIVE,`SUCCESS,`OTHERS,`CNY,`10.00,`0.00,`,`,`0.00,`0.00,`,`,`tea,`,`0.00000,`0.60%,`10.00,`0.00,`',
    '`2026-11-25 11:00:00,`wx1,`1900000109,`,`,`4200001,`P1,`o1,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`5000001,`R1,`4.00,`0.00,`ORIGINAL,`SUCCESS,`tea,`,`0.00000,`0.60%,`10.00,`4.00,`',
    '`2026-11-25 23:59:00,`wx1,`1900000109,`,`,`4200001,`P1,`o1,`NATIVE,`REFUND,`OTHERS,`CNY,`0.00,`0.00,`5000002,`R2,`1.00,`0.00,`ORIGINAL,`PROCESSING,`tea,`,`0.00000,`0.60%,`10.00,`1.00,`',
    '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额',
    '`3,`10.00,`5.00,`0.00,`0.00000,`10.00,`5.00',
  ].join('\r\n');
  const funds = (rows: string[], brackets: 'full' | 'half' = 'full') =>
    [
      `记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,${brackets === 'full' ? '收支金额（元）,账户结余（元）' : '收支金额(元),账户结余(元)'},资金变更提交申请人,备注,业务凭证号`,
      ...rows,
      '资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额',
      '`0,`0,`0.00,`0,`0.00',
    ].join('\r\n');
  const DAY = new Date('2026-11-25T00:00:00+08:00');
  const NOTHING = { trade: [], funds: [] };
  const check = (t: TradeBillRow[], f: FundEntry[]) => crossCheckFunds(DAY, { trade: t, funds: f }, NOTHING);
  const income = '`2026-11-25 10:00:00,`4200001,`190000000000000000001,`交易,`交易,`收入,`10.00,`10.00,`system,`,`P1';
  const expense = '`2026-11-25 11:00:00,`5000001,`190000000000000000002,`退款,`退款,`支出,`4.00,`6.00,`system,`,`R1';

  it('reads the rows by column name, with either kind of bracket', () => {
    const parsed = parseFundFlowBill(funds([income, expense], 'half'));
    expect(parsed).toEqual([
      {
        at: new Date('2026-11-25T02:00:00Z'),
        wechatNo: '4200001',
        business: '交易',
        direction: 'income',
        amount: 1000,
      },
      {
        at: new Date('2026-11-25T03:00:00Z'),
        wechatNo: '5000001',
        business: '退款',
        direction: 'expense',
        amount: 400,
      },
    ]);
    expect(parseFundFlowBill(funds([income.replace('`收入', '`转入')]))).toBeNull();
    expect(parseFundFlowBill(funds([income.replace('`10.00,`10.00', '`ten,`10.00')]))).toBeNull();
    expect(parseFundFlowBill('记账时间,备注\r\n')).toBeNull();
  });

  it('refuses a time that does not exist and a trade state it cannot read, and skips a revoked micropay', () => {
    const rows = trade.split('\r\n');
    const withRow = (r: string) => [rows[0], r, ...rows.slice(4)].join('\r\n');
    expect(parseTradeBillRows(withRow(rows[1]!.replace('2026-11-25 10:00:00', '2026-02-30 10:00:00')))).toBeNull();
    expect(parseTradeBillRows(withRow(rows[1]!.replace('`SUCCESS', '`PAYERROR')))).toBeNull();
    expect(parseTradeBillRows(withRow(rows[1]!.replace('`SUCCESS', '`REVOKED')))).toEqual([]);
    expect(parseFundFlowBill(funds([income.replace('2026-11-25', '2026-11-31')]))).toBeNull();
  });

  it('agrees when every successful payment came in and every successful refund went out', () => {
    expect(check(parseTradeBillRows(trade)!, parseFundFlowBill(funds([income, expense]))!)).toEqual([]);
  });

  it('sums the movements under one number: booked twice differs, booked in two parts agrees', () => {
    const rows = parseTradeBillRows(trade)!;
    const half = expense.replace('`4.00,', '`2.00,');
    expect(check(rows, parseFundFlowBill(funds([income, half, half]))!)).toEqual([]);
    const twice = check(rows, parseFundFlowBill(funds([income, expense, expense]))!);
    expect(twice).toMatchObject([
      { kind: 'funds_amount_differs', providerNo: '5000001', direction: 'expense', amount: 400, fundAmount: 800 },
    ]);
    // A credit and a debit under one number are two movements, each reported on its own.
    const both = check([], parseFundFlowBill(funds([income, income.replace('`收入', '`支出')]))!);
    expect(both.map((d) => `${d.kind} ${d.direction} ${d.providerNo}`)).toEqual([
      'funds_unexplained income 4200001',
      'funds_unexplained expense 4200001',
    ]);
  });

  it('finds a payment whose money never came, a refund of another amount, and money no trade explains', () => {
    const stray = '`2026-11-25 12:00:00,`4200009,`190000000000000000003,`交易,`交易,`收入,`7.77,`13.77,`system,`,`';
    const fee =
      '`2026-11-25 12:00:01,`4200010,`190000000000000000004,`扣除交易手续费,`扣除交易手续费,`支出,`0.06,`13.71,`system,`,`';
    const found = check(
      parseTradeBillRows(trade)!,
      parseFundFlowBill(funds([expense.replace('`4.00,', '`3.00,'), stray, fee]))!,
    );
    expect(
      found.map(({ kind, providerNo, paymentNo, refundNo, amount, fundAmount }) => ({
        kind,
        providerNo,
        paymentNo,
        refundNo,
        amount,
        fundAmount,
      })),
    ).toEqual([
      { kind: 'funds_missing', providerNo: '4200001', paymentNo: 'P1', refundNo: null, amount: 1000, fundAmount: null },
      {
        kind: 'funds_amount_differs',
        providerNo: '5000001',
        paymentNo: 'P1',
        refundNo: 'R1',
        amount: 400,
        fundAmount: 300,
      },
      {
        kind: 'funds_unexplained',
        providerNo: '4200009',
        paymentNo: null,
        refundNo: null,
        amount: null,
        fundAmount: 777,
      },
    ]);
  });

  it('takes money booked just after midnight for a trade just before it: no difference on either day', () => {
    const lateTrade = (day: string, time: string) =>
      parseTradeBillRows(trade.replace('2026-11-25 10:00:00', `${day} ${time}`))!.filter((r) => r.kind === 'payment');
    const credit = (day: string, time: string) =>
      parseFundFlowBill(funds([income.replace('2026-11-25 10:00:00', `${day} ${time}`)]))!;
    // The trade at 23:59:58 on the 24th, its credit at 00:00:05 on the 25th.
    const the24th = { trade: lateTrade('2026-11-24', '23:59:58'), funds: [] };
    expect(crossCheckFunds(new Date('2026-11-24T00:00:00+08:00'), the24th, NOTHING)).toEqual([]); // left for the next day
    expect(crossCheckFunds(DAY, { trade: [], funds: credit('2026-11-25', '00:00:05') }, the24th)).toEqual([]);
    // Never credited: reported on the 25th, as the 24th's trade.
    expect(crossCheckFunds(DAY, NOTHING, the24th)).toMatchObject([
      { kind: 'funds_missing', providerNo: '4200001', paymentNo: 'P1' },
    ]);
    // A credit of the 25th's first minutes that yesterday's late trades do not explain is still reported.
    expect(crossCheckFunds(DAY, { trade: [], funds: credit('2026-11-25', '00:00:05') }, NOTHING)).toMatchObject([
      { kind: 'funds_unexplained' },
    ]);
    // A trade of the 25th's last minutes is not judged on the 25th; one earlier in the day is.
    expect(crossCheckFunds(DAY, { trade: lateTrade('2026-11-25', '23:55:00'), funds: [] }, NOTHING)).toEqual([]);
    expect(crossCheckFunds(DAY, { trade: lateTrade('2026-11-25', '23:45:00'), funds: [] }, NOTHING)).toMatchObject([
      { kind: 'funds_missing' },
    ]);
  });
});
