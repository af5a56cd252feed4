import { fromYuanString } from '../../lib/money.ts';
import type { BillLine, BillResult } from '../provider.ts';
import type { AlipayClient } from './alipay.client.ts';
import { parseBeijingDateTime } from './alipay.wire.ts';

/**
 * The daily trade bill: `alipay.data.dataservice.bill.downloadurl.query` (bill_type `trade`) gives a
 * short-lived URL; the file behind it is the 业务明细 CSV (docs/operations.md: this reads it as UTF-8 CSV,
 * the sandbox's format; the live file is a zip of GBK CSVs and would need unzipping and decoding first).
 */
export async function downloadAlipayBill(client: AlipayClient, date: string, timeoutMs: number): Promise<BillResult> {
  const answer = await client.call('alipay.data.dataservice.bill.downloadurl.query', { bill_type: 'trade', bill_date: date });
  if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason };
  if (answer.kind === 'refused') return answer.subCode === 'isp.bill_not_exist' ? { kind: 'not_ready' } : { kind: 'unknown', reason: answer.subCode };
  const url = answer.body.bill_download_url;
  if (typeof url !== 'string' || !url) return { kind: 'unknown', reason: 'no_bill_download_url' };
  let text: string;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) return { kind: 'unknown', reason: `bill_download_http_${res.status}` };
    text = await res.text();
  } catch (err) {
    return { kind: 'unknown', reason: `bill_download_failed: ${String(err).slice(0, 200)}` };
  }
  const lines = parseAlipayBillCsv(text);
  return lines ? { kind: 'bill', lines } : { kind: 'unknown', reason: 'malformed_bill' };
}

/** Reads the 业务明细 rows by their header names; `#` lines are the preamble and totals. Null when malformed. */
export function parseAlipayBillCsv(text: string): BillLine[] | null {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  const header = rows.shift()?.split(',').map((h) => h.trim());
  if (!header) return null;
  const col = (name: string) => header.indexOf(name);
  const idx = { tradeNo: col('支付宝交易号'), outTradeNo: col('商户订单号'), type: col('业务类型'), done: col('完成时间'), amount: col('订单金额（元）'), requestNo: col('退款批次号/请求号') };
  if (Object.values(idx).some((i) => i < 0)) return null;
  const out: BillLine[] = [];
  for (const row of rows) {
    const f = row.split(',').map((v) => v.trim());
    const raw = f[idx.amount] ?? '';
    const amount = fromYuanString(raw.replace(/^-/, ''));
    const at = parseBeijingDateTime(f[idx.done]);
    const paymentNo = f[idx.outTradeNo];
    if (amount === null || !at || !paymentNo) return null;
    const refund = f[idx.type] === '退款';
    out.push({
      kind: refund ? 'refund' : 'payment',
      paymentNo,
      // A refund made without out_request_no is named by the out_trade_no (§1.5); mallpay always sends one.
      refundNo: refund ? f[idx.requestNo] || paymentNo : null,
      providerTradeNo: f[idx.tradeNo] || null,
      amount,
      at,
    });
  }
  return out;
}
