import { inflateSync } from 'node:zlib';
import { beijingCompact, type Clock } from '../../lib/clock.ts';
import type { BillLine, BillResult } from '../provider.ts';
import type { AcpPost } from './acp-client.ts';

export const FILE_TRANSFER_PATH = '/gateway/api/fileTransfer.do';
/** A settlement file is a few MB at most; a bigger inflation is refused rather than eating memory. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The day's settlement file through fileTransfer.do (txnType 76, fileType 00, settleDate MMDD): a signed
 * answer whose `fileContent` is the file deflated and base64'd (demo `SDKUtil.deCodeFileContent`). The
 * signature is checked like every other answer by `post`. Lines follow the format in docs/operations.md.
 */
export async function downloadSettlementFile(post: AcpPost, deps: { merId: string; clock: Clock }, date: string): Promise<BillResult> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return { kind: 'unknown', reason: 'bad_date' };
  const answer = await post(FILE_TRANSFER_PATH, {
    version: '5.1.0', encoding: 'UTF-8', txnType: '76', txnSubType: '01', bizType: '000000', accessType: '0',
    merId: deps.merId, settleDate: `${m[2]}${m[3]}`, txnTime: beijingCompact(deps.clock.now()), fileType: '00',
  });
  if (!answer.ok) return { kind: 'unknown', reason: `${answer.reason}: ${answer.message}` };
  const f = answer.fields;
  // 98: no file (yet) for that settleDate (unconfirmed whether a day without trades also answers 98).
  if (f.respCode === '98') return { kind: 'not_ready' };
  if (f.respCode !== '00' || !f.fileContent) return { kind: 'unknown', reason: `respCode_${f.respCode}: ${f.respMsg ?? ''}` };
  let text: string;
  try {
    text = inflateSync(Buffer.from(f.fileContent, 'base64'), { maxOutputLength: MAX_FILE_BYTES }).toString('utf8');
  } catch {
    return { kind: 'unknown', reason: 'file_content_not_deflated' };
  }
  const lines = parseSettlementFile(text);
  return lines ? { kind: 'bill', lines } : { kind: 'unknown', reason: 'malformed_file' };
}

/** `txnType|orderId|txnTime|queryId|origOrderId|origQryId|txnAmt|…`; consume 01 is a payment, 04 and 31 refunds. */
export function parseSettlementFile(text: string): BillLine[] | null {
  const out: BillLine[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [type, orderId, txnTime, queryId, origOrderId, , txnAmt] = line.split('|');
    const t = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(txnTime ?? '');
    if (!orderId || !t || !/^\d{1,12}$/.test(txnAmt ?? '') || !['01', '04', '31'].includes(type ?? '')) return null;
    const refund = type !== '01';
    if (refund && !origOrderId) return null;
    out.push({
      kind: refund ? 'refund' : 'payment',
      paymentNo: refund ? origOrderId! : orderId,
      refundNo: refund ? orderId : null,
      providerTradeNo: queryId || null,
      amount: Number(txnAmt),
      // The transaction's own time; the file says the year only through txnTime.
      at: new Date(`${t[1]}-${t[2]}-${t[3]}T${t[4]}:${t[5]}:${t[6]}+08:00`),
    });
  }
  return out;
}
