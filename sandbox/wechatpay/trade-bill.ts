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
 * The early layout (WeChat's format page, 注意事项): merchants who have not enabled 免充值优惠券 still get it. No
 * 应结订单金额, 代金券金额, 订单金额 or 申请退款金额; the amounts are 总金额 and 退款金额, both what the merchant asked
 * for, since such a merchant has no merchant-funded coupons. The layout of the v2 downloadbill ALL file.
 */
export const EARLY_TRADE_BILL_COLUMNS = [
  '交易时间',
  '公众账号ID',
  '商户号',
  '子商户号',
  '设备号',
  '微信订单号',
  '商户订单号',
  '用户标识',
  '交易类型',
  '交易状态',
  '付款银行',
  '货币种类',
  '总金额',
  '企业红包金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '企业红包退款金额',
  '退款类型',
  '退款状态',
  '商品名称',
  '商户数据包',
  '手续费',
  '费率',
];
const EARLY_SUMMARY_COLUMNS = ['总交易单数', '总交易额', '总退款金额', '总企业红包退款金额', '手续费总金额'];

/** Which trade bill layout the sandbox writes: today's, or the early one without the coupon columns. */
export const TRADE_BILL_FORMATS = ['current', 'early'] as const;
export type TradeBillFormat = (typeof TRADE_BILL_FORMATS)[number];

type Row = Record<string, string>;

/**
 * One merchant's trade bill of one Beijing day. A payment is dated by its success time; a refund by the time
 * WeChat accepted it, with its status as of when the file is made (WeChat's "数据快照": a refund accepted late
 * in the day may still show PROCESSING).
 */
export function tradeBillText(
  trades: TradeRecord[],
  refunds: RefundRecord[],
  date: string,
  format: TradeBillFormat = 'current',
): { text: string; count: number } {
  const rows: Row[] = [];
  let paid = 0;
  let refunded = 0;
  let ordered = 0;
  let applied = 0;
  for (const t of trades.filter((x) => x.success_time?.startsWith(date))) {
    // A merchant-funded coupon is neither paid by the customer nor settled: 应结订单金额 = 订单金额 − 代金券金额.
    const coupon = t.coupon ?? 0;
    rows.push(
      row(t, {
        交易时间: billTime(t.success_time!),
        交易状态: 'SUCCESS',
        应结订单金额: yuan(t.total - coupon),
        代金券金额: yuan(coupon),
        订单金额: yuan(t.total),
        总金额: yuan(t.total),
      }),
    );
    paid += t.total - coupon;
    ordered += t.total;
  }
  const byNo = new Map(trades.map((t) => [t.out_trade_no, t]));
  for (const r of refunds.filter((x) => x.create_time.startsWith(date))) {
    const t = byNo.get(r.out_trade_no);
    if (!t) continue;
    // 退款金额 is what is settled back (without the coupon's share); 申请退款金额 what was asked for. The early
    // layout has no coupons, so its 退款金额 is the refund asked for.
    const settledBack = format === 'early' ? r.refund : r.refund - (r.coupon_refund ?? 0);
    rows.push(
      row(t, {
        交易时间: billTime(r.create_time),
        交易状态: 'REFUND',
        应结订单金额: '0.00',
        总金额: '0.00',
        微信退款单号: r.refund_id,
        商户退款单号: r.out_refund_no,
        退款金额: yuan(settledBack),
        充值券退款金额: '0.00',
        企业红包退款金额: '0.00',
        退款类型: 'ORIGINAL',
        退款状态: BILL_REFUND_STATUS[r.status],
        订单金额: yuan(t.total),
        申请退款金额: yuan(r.refund),
      }),
    );
    refunded += settledBack;
    applied += r.refund;
  }
  const text =
    format === 'early'
      ? billFile(
          EARLY_TRADE_BILL_COLUMNS,
          rows.map((r) => EARLY_TRADE_BILL_COLUMNS.map((k) => r[k] ?? '')),
          EARLY_SUMMARY_COLUMNS,
          [String(rows.length), yuan(ordered), yuan(refunded), '0.00', '0.00000'],
        )
      : billFile(
          TRADE_BILL_COLUMNS,
          rows.map((r) => TRADE_BILL_COLUMNS.map((k) => r[k] ?? '')),
          SUMMARY_COLUMNS,
          [String(rows.length), yuan(paid), yuan(refunded), '0.00', '0.00000', yuan(ordered), yuan(applied)],
        );
  return { text, count: rows.length };
}

/** A row by column name; each layout takes the columns it has. */
function row(t: TradeRecord, set: Row): Row {
  return {
    公众账号ID: t.appid,
    商户号: t.mchid,
    微信订单号: t.transaction_id ?? '',
    商户订单号: t.out_trade_no,
    用户标识: `o-sandbox-${t.mchid}`,
    交易类型: t.trade_type,
    付款银行: 'OTHERS',
    货币种类: 'CNY',
    代金券金额: '0.00',
    企业红包金额: '0.00',
    商品名称: plain(t.description),
    商户数据包: plain(t.attach ?? ''),
    手续费: '0.00000',
    费率: '0.60%',
    ...set,
  };
}
