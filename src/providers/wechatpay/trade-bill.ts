import { fromYuanString } from '../../lib/money.ts';
import type { BillLine } from '../provider.ts';
import { beijingBillTime, billRows } from './bill-file.ts';

/** One detail row of the trade bill (交易账单), before deciding which rows are money that moved. */
export type TradeBillRow = {
  at: Date;
  paymentNo: string;
  transactionId: string;
  /** What mallpay asked for: 订单金额 / 申请退款金额 (early bills: 总金额 / 退款金额). */
  amount: number;
  /** What moved in the basic account: 应结订单金额 / 退款金额, less a merchant-funded coupon (early: = amount). */
  settled: number;
} & (
  | { kind: 'payment'; refundNo: null; refundId: null; refundStatus: null }
  | { kind: 'refund'; refundNo: string; refundId: string; refundStatus: string }
);

const COLUMNS = [
  '交易时间',
  '微信订单号',
  '商户订单号',
  '交易状态',
  '微信退款单号',
  '商户退款单号',
  '退款状态',
] as const;

/**
 * Which columns hold what mallpay asked for. Today's bill: 订单金额 (the order total) and 申请退款金额 (the
 * refund asked for); the settled 应结订单金额 / 退款金额 leave out merchant-funded coupons (免充值券), so they
 * would show a coupon-paid order as short. Early bills, from before the coupon columns were added (no
 * 订单金额, 应结订单金额 or 代金券金额), carry 总金额 and 退款金额, which are the totals asked for.
 * WeChat says to read columns by name (tradebill doc), so the header decides.
 */
const AMOUNTS = [
  { payment: '订单金额', refund: '申请退款金额', settledPayment: '应结订单金额', settledRefund: '退款金额' },
  { payment: '总金额', refund: '退款金额', settledPayment: '总金额', settledRefund: '退款金额' },
] as const;

/**
 * `交易状态` SUCCESS rows are payments; REFUND rows are refunds, dated when WeChat accepted them and carrying
 * their status as of when the file was made. Null when the columns are not WeChat's, a value is malformed or
 * a state is unknown (never counted as a payment by default).
 */
export function parseTradeBillRows(text: string): TradeBillRow[] | null {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const names = header.split(',').map((h) => h.trim());
  const amounts = AMOUNTS.find((a) => names.includes(a.payment) && names.includes(a.refund));
  if (!amounts) return null;
  const rows = billRows(text, COLUMNS, '总交易单数');
  if (!rows) return null;
  const out: TradeBillRow[] = [];
  for (const r of rows) {
    const at = beijingBillTime(r['交易时间']);
    const paymentNo = r['商户订单号'];
    const transactionId = r['微信订单号'] ?? '';
    if (!at || !paymentNo) return null;
    const base = { at, paymentNo, transactionId };
    const state = r['交易状态'];
    // REVOKED is a revoked micropay, which mallpay never makes; any other state is not one we can read.
    if (state === 'REVOKED') continue;
    if (state !== 'SUCCESS' && state !== 'REFUND') return null;
    if (state === 'REFUND') {
      const amount = fromYuanString(r[amounts.refund] ?? '');
      const settled = fromYuanString(r[amounts.settledRefund] ?? '');
      if (amount === null || settled === null || !r['商户退款单号'] || !r['微信退款单号']) return null;
      out.push({
        ...base,
        kind: 'refund',
        amount,
        settled,
        refundNo: r['商户退款单号']!,
        refundId: r['微信退款单号']!,
        refundStatus: r['退款状态'] ?? '',
      });
    } else {
      const amount = fromYuanString(r[amounts.payment] ?? '');
      const settled = fromYuanString(r[amounts.settledPayment] ?? '');
      if (amount === null || settled === null) return null;
      out.push({ ...base, kind: 'payment', amount, settled, refundNo: null, refundId: null, refundStatus: null });
    }
  }
  return out;
}

/**
 * The rows that are money which moved: every payment, and the refunds that had succeeded when the file was
 * made (the bill's word SUCCESS; PROCESSING, REFUNDCLOSE/FAIL and CHANGE are not money back yet).
 */
export const billLines = (rows: TradeBillRow[]): BillLine[] =>
  rows
    .filter((r) => r.kind === 'payment' || r.refundStatus === 'SUCCESS')
    .map((r) => ({
      kind: r.kind,
      paymentNo: r.paymentNo,
      refundNo: r.refundNo,
      providerTradeNo: r.transactionId || null,
      amount: r.amount,
      at: r.at,
    }));
