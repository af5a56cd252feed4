import { fromYuanString } from '../../lib/money.ts';
import type { BillLine } from '../provider.ts';
import { beijingBillTime, billRows } from './bill-file.ts';

/** One detail row of the trade bill (交易账单), before deciding which rows are money that moved. */
export type TradeBillRow = {
  at: Date;
  paymentNo: string;
  transactionId: string;
  amount: number;
} & (
  | { kind: 'payment'; refundNo: null; refundId: null; refundStatus: null }
  | { kind: 'refund'; refundNo: string; refundId: string; refundStatus: string }
);

const COLUMNS = [
  '交易时间',
  '微信订单号',
  '商户订单号',
  '交易状态',
  '应结订单金额',
  '微信退款单号',
  '商户退款单号',
  '退款金额',
  '退款状态',
] as const;

/**
 * `交易状态` SUCCESS rows are payments; REFUND rows are refunds, dated when WeChat accepted them and carrying
 * their status as of when the file was made. Null when the columns are not WeChat's, a value is malformed or
 * a state is unknown (never counted as a payment by default).
 */
export function parseTradeBillRows(text: string): TradeBillRow[] | null {
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
      const amount = fromYuanString(r['退款金额'] ?? '');
      if (amount === null || !r['商户退款单号'] || !r['微信退款单号']) return null;
      out.push({
        ...base,
        kind: 'refund',
        amount,
        refundNo: r['商户退款单号']!,
        refundId: r['微信退款单号']!,
        refundStatus: r['退款状态'] ?? '',
      });
    } else {
      const amount = fromYuanString(r['应结订单金额'] ?? '');
      if (amount === null) return null;
      out.push({ ...base, kind: 'payment', amount, refundNo: null, refundId: null, refundStatus: null });
    }
  }
  return out;
}

/** The rows that are money which moved: every payment, and the refunds that had succeeded when the file was made. */
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
