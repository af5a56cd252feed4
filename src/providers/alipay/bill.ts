import iconv from 'iconv-lite';
import { readCappedBody } from '../../lib/capped-body.ts';
import { fromYuanString } from '../../lib/money.ts';
import { readZip, ZipError } from '../../lib/zip.ts';
import type { BillLine, BillResult } from '../provider.ts';
import type { AlipayClient } from './client.ts';
import { parseBeijingDateTime } from '../../lib/clock.ts';

/**
 * The daily trade bill: `alipay.data.dataservice.bill.downloadurl.query` (bill_type `trade`) gives a
 * short-lived URL; the file behind it is a zip (`fileType=csv.zip`) of two GBK CSVs, the 业务明细 (detail)
 * and the 业务明细(汇总) (summary). Only the detail is read. Entry names are GBK bytes without the zip UTF-8
 * flag, so the detail is recognised by its header row, never by its name.
 */

/** Bounds on what a bill may cost us to read: a day of a very large merchant is well under them. */
export interface AlipayBillLimits {
  /** The zip as downloaded. */
  maxBodyBytes: number;
  /** All entries together, uncompressed (each entry's declared size counts before anything is inflated). */
  maxUnzippedBytes: number;
  maxEntries: number;
}

export const ALIPAY_BILL_LIMITS: AlipayBillLimits = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxUnzippedBytes: 256 * 1024 * 1024,
  maxEntries: 16,
};

export async function downloadAlipayBill(
  client: Pick<AlipayClient, 'call'>,
  date: string,
  timeoutMs: number,
  limits: AlipayBillLimits = ALIPAY_BILL_LIMITS,
): Promise<BillResult> {
  const answer = await client.call('alipay.data.dataservice.bill.downloadurl.query', {
    bill_type: 'trade',
    bill_date: date,
  });
  if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason };
  if (answer.kind === 'refused')
    return answer.subCode === 'isp.bill_not_exist'
      ? { kind: 'not_ready' }
      : { kind: 'unknown', reason: answer.subCode };
  const url = answer.body.bill_download_url;
  if (typeof url !== 'string' || !url) return { kind: 'unknown', reason: 'no_bill_download_url' };
  let body: Uint8Array | null;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.status !== 200) {
      await res.body?.cancel();
      return { kind: 'unknown', reason: `bill_download_http_${res.status}` };
    }
    body = await readCappedBody(res, limits.maxBodyBytes);
  } catch (err) {
    return { kind: 'unknown', reason: `bill_download_failed: ${String(err).slice(0, 200)}` };
  }
  return body ? readAlipayBillZip(body, limits) : { kind: 'unknown', reason: 'bill_too_large' };
}

/** Reads a downloaded bill zip into lines; every refusal has a stable reason. */
export function readAlipayBillZip(bytes: Uint8Array, limits: AlipayBillLimits = ALIPAY_BILL_LIMITS): BillResult {
  if (bytes.byteLength > limits.maxBodyBytes) return { kind: 'unknown', reason: 'bill_too_large' };
  try {
    // One entry inflated at a time, and only the detail kept: the summary and anything else are dropped at once.
    const details: Buffer[] = [];
    for (const entry of readZip(bytes, { maxEntries: limits.maxEntries, maxTotalBytes: limits.maxUnzippedBytes })) {
      const data = entry.read();
      if (isDetailCsv(iconv.decode(data.subarray(0, DETAIL_HEADER_WITHIN), 'gbk'))) details.push(data);
    }
    if (details.length === 0) return { kind: 'unknown', reason: 'bill_without_detail' };
    // A trade bill has one detail file; with two we could not tell whether a line is counted twice.
    if (details.length > 1) return { kind: 'unknown', reason: 'bill_several_details' };
    const lines = parseAlipayBillCsv(iconv.decode(details[0]!, 'gbk'));
    return lines ? { kind: 'bill', lines } : { kind: 'unknown', reason: 'malformed_bill' };
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    return { kind: 'unknown', reason: ZIP_REASON[err.reason] };
  }
}

const ZIP_REASON = {
  not_zip: 'bill_not_zip',
  corrupt: 'bill_zip_corrupt',
  unsupported: 'bill_zip_corrupt',
  too_large: 'bill_too_large',
} as const;
/** The header row follows four short preamble lines: it is always within the first few hundred bytes. */
const DETAIL_HEADER_WITHIN = 4096;

/** Cells of one line: Alipay writes no quotes, but a quoted cell (`"a,b"`, `""` for a quote) is read as one. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') {
      cell += '"';
      i++;
    } else if (ch === '"' && (quoted || cell.trim() === '')) {
      quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      out.push(cell);
      cell = '';
    } else {
      cell += ch;
    }
  }
  out.push(cell);
  // Alipay ends long numbers (and some other values) with a tab so that Excel keeps them as text.
  return out.map((c) => c.trim());
}

const DETAIL_HEADER = ['支付宝交易号', '商户订单号'];
const isHeader = (line: string) => !line.startsWith('#') && DETAIL_HEADER.every((h) => cells(line).includes(h));
/** The detail file is the one with the detail header row; the summary's rows are 门店编号,门店名称,… */
const isDetailCsv = (text: string) => text.split(/\r?\n/).some(isHeader);

/**
 * Reads the 业务明细 rows by their header names: `#` lines before the header are the preamble, and the
 * first `#` line after it (`#---…业务明细列表结束…`) ends the rows; the totals after it are not read.
 * Null when malformed: no header, a row whose cell count differs from the header's (a shifted row would
 * be read from the wrong columns), or a value that does not parse.
 */
export function parseAlipayBillCsv(text: string): BillLine[] | null {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex(isHeader);
  if (start < 0) return null;
  const header = cells(lines[start]!);
  const col = (name: string) => header.indexOf(name);
  const idx = {
    tradeNo: col('支付宝交易号'),
    outTradeNo: col('商户订单号'),
    type: col('业务类型'),
    done: col('完成时间'),
    amount: col('订单金额（元）'),
    requestNo: col('退款批次号/请求号'),
  };
  if (Object.values(idx).some((i) => i < 0)) return null;
  const out: BillLine[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.startsWith('#')) break;
    if (line.trim() === '') continue;
    const f = cells(line);
    const parsed = f.length === header.length ? billLine(f, idx) : null;
    if (!parsed) return null;
    out.push(parsed);
  }
  return out;
}

function billLine(
  f: string[],
  idx: Record<'tradeNo' | 'outTradeNo' | 'type' | 'done' | 'amount' | 'requestNo', number>,
): BillLine | null {
  // Refund lines carry negative amounts, payments positive ones; a BillLine's amount is always the money moved.
  const raw = f[idx.amount] ?? '';
  const amount = fromYuanString(raw.replace(/^-/, ''));
  const at = parseBeijingDateTime(f[idx.done]);
  const paymentNo = f[idx.outTradeNo];
  const refund = f[idx.type] === '退款';
  if (amount === null || !at || !paymentNo || (amount !== 0 && raw.startsWith('-') !== refund)) return null;
  return {
    kind: refund ? 'refund' : 'payment',
    paymentNo,
    // A refund made without out_request_no is named by the out_trade_no (docs/protocols/alipay.md#refund-query);
    // mallpay always sends one.
    refundNo: refund ? f[idx.requestNo] || paymentNo : null,
    providerTradeNo: f[idx.tradeNo] || null,
    amount,
    at,
  };
}
