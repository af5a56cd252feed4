import { createHash } from 'node:crypto';
import { fromYuanString } from '../../lib/money.ts';
import type { BillLine, BillResult } from '../provider.ts';
import type { ApiClient } from './client.ts';

/**
 * The daily trade bill (交易账单): `GET /v3/bill/tradebill?bill_date=…&bill_type=ALL` answers a SHA1 hash and
 * a download_url; the signed GET of that URL answers the text bill, every value prefixed with a backtick.
 * The file is unsigned, so its hash, which came in a signed answer, is what vouches for it.
 */
export async function downloadWechatpayBill(api: ApiClient, date: string): Promise<BillResult> {
  const r = await api.call('GET', `/v3/bill/tradebill?bill_date=${encodeURIComponent(date)}&bill_type=ALL`);
  if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
  if (r.kind === 'error') {
    if (r.code === 'STATEMENT_CREATING') return { kind: 'not_ready' };
    // WeChat makes no bill for a day without trades (docs/operations.md, uncertainty W-bill-1).
    if (r.code === 'NO_STATEMENT_EXIST') return { kind: 'bill', lines: [] };
    return { kind: 'unknown', reason: r.code };
  }
  const { download_url: url, hash_type: hashType, hash_value: hash } = r.body ?? {};
  if (typeof url !== 'string' || hashType !== 'SHA1' || typeof hash !== 'string') return { kind: 'unknown', reason: 'malformed_tradebill_answer' };
  const file = await api.download(url);
  if (!file.ok) return { kind: 'unknown', reason: `bill_download_${file.reason}` };
  if (createHash('sha1').update(file.text, 'utf8').digest('hex') !== hash.toLowerCase()) return { kind: 'unknown', reason: 'bill_hash_mismatch' };
  const lines = parseWechatpayTradeBill(file.text);
  return lines ? { kind: 'bill', lines } : { kind: 'unknown', reason: 'malformed_bill' };
}

/** Rows between the header and the summary header (总交易单数…); null when the columns are not WeChat's. */
export function parseWechatpayTradeBill(text: string): BillLine[] | null {
  const rows = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = rows.shift()?.split(',');
  if (!header) return null;
  const col = (name: string) => header.indexOf(name);
  const idx = {
    time: col('交易时间'), txn: col('微信订单号'), outTradeNo: col('商户订单号'), state: col('交易状态'), settled: col('应结订单金额'),
    outRefundNo: col('商户退款单号'), refund: col('退款金额'), refundStatus: col('退款状态'),
  };
  if (Object.values(idx).some((i) => i < 0)) return null;
  const out: BillLine[] = [];
  for (const row of rows) {
    if (row.startsWith('总交易单数')) break;
    const f = row.split(',').map((v) => v.replace(/^`/, '').trim());
    const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(f[idx.time] ?? '');
    const paymentNo = f[idx.outTradeNo];
    if (!m || !paymentNo) return null;
    const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
    const refund = f[idx.state] === 'REFUND';
    if (refund && f[idx.refundStatus] !== 'SUCCESS') continue;
    const amount = fromYuanString(f[refund ? idx.refund : idx.settled] ?? '');
    if (amount === null) return null;
    out.push({ kind: refund ? 'refund' : 'payment', paymentNo, refundNo: refund ? f[idx.outRefundNo] || null : null, providerTradeNo: f[idx.txn] || null, amount, at });
  }
  return out;
}
