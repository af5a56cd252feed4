import { billFile, billTime, plain, yuan } from './bill-text.ts';
import type { RefundRecord, TradeRecord } from './records.ts';

/** Columns of the `ALL` trade bill (交易账单), in WeChat's order. */
export const TRADE_BILL_COLUMNS = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '特约商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '应结订单金额',
  '代金券金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '充值券退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
  '订单金额',
  '申请退款金额',
  '费率备注',
];
const SUMMARY_COLUMNS = [
  '总交易单数',
  '应结订单总金额',
  '退款总金额',
  '充值券退款总金额',
  '手续费总金额',
  '订单总金额',
  '申请退款总金额',
];

/**
 * The bill's own refund status words, not the refund API's: SUCCESS, PROCESSING, REFUNDCLOSE (closed) and
 * CHANGE (abnormal), as the bill field list of the v2 downloadbill doc names them (pay.weixin.qq.com/wiki/
 * doc/api/native.php?chapter=9_6); the v3 tradebill page does not list them. Unconfirmed for v3 bills.
 */
export const BILL_REFUND_STATUS: Record<RefundRecord['status'], string> = {
  SUCCESS: 'SUCCESS',
  PROCESSING: 'PROCESSING',
  CLOSED: 'REFUNDCLOSE',
  ABNORMAL: 'CHANGE',
};

/**
 * One merchant's trade bill of one Beijing day. A payment is dated by its success time; a refund by the time
 * WeChat accepted it, with its status as of when the file is made (WeChat's "数据快照": a refund accepted late
 * in the day may still show PROCESSING).
 */
export function tradeBillText(
  trades: TradeRecord[],
  refunds: RefundRecord[],
  date: string,
): { text: string; count: number } {
  const rows: string[][] = [];
  let paid = 0;
  let refunded = 0;
  let ordered = 0;
  let applied = 0;
  for (const t of trades.filter((x) => x.success_time?.startsWith(date))) {
    // A merchant-funded coupon is neither paid by the customer nor settled: 应结订单金额 = 订单金额 − 代金券金额.
    const coupon = t.coupon ?? 0;
    rows.push(
      row(t, {
        0: billTime(t.success_time!),
        9: 'SUCCESS',
        12: yuan(t.total - coupon),
        13: yuan(coupon),
        24: yuan(t.total),
      }),
    );
    paid += t.total - coupon;
    ordered += t.total;
  }
  const byNo = new Map(trades.map((t) => [t.out_trade_no, t]));
  for (const r of refunds.filter((x) => x.create_time.startsWith(date))) {
    const t = byNo.get(r.out_trade_no);
    if (!t) continue;
    rows.push(
      row(t, {
        0: billTime(r.create_time),
        9: 'REFUND',
        12: '0.00',
        14: r.refund_id,
        15: r.out_refund_no,
        // 退款金额 is what is settled back (without the coupon's share); 申请退款金额 what was asked for.
        16: yuan(r.refund - (r.coupon_refund ?? 0)),
        17: '0.00',
        18: 'ORIGINAL',
        19: BILL_REFUND_STATUS[r.status],
        24: yuan(t.total),
        25: yuan(r.refund),
      }),
    );
    refunded += r.refund - (r.coupon_refund ?? 0);
    applied += r.refund;
  }
  const summary = [String(rows.length), yuan(paid), yuan(refunded), '0.00', '0.00000', yuan(ordered), yuan(applied)];
  return { text: billFile(TRADE_BILL_COLUMNS, rows, SUMMARY_COLUMNS, summary), count: rows.length };
}

function row(t: TradeRecord, set: Record<number, string>): string[] {
  const r = TRADE_BILL_COLUMNS.map(() => '');
  Object.assign(
    r,
    {
      1: t.appid,
      2: t.mchid,
      5: t.transaction_id ?? '',
      6: t.out_trade_no,
      7: `o-sandbox-${t.mchid}`,
      8: t.trade_type,
      10: 'OTHERS',
      11: 'CNY',
      13: '0.00',
      20: plain(t.description),
      21: plain(t.attach ?? ''),
      22: '0.00000',
      23: '0.60%',
    },
    set,
  );
  return r;
}
