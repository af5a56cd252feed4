import { randomInt } from 'node:crypto';
import { beijingCompact } from '../../src/lib/clock.ts';

/** One ACP transaction as the sandbox's gateway keeps it: a consume, a refund (04) or an undo (31). */
export interface TxnRecord {
  type: 'consume' | 'refund' | 'undo';
  merId: string;
  orderId: string;
  txnTime: string;
  /** Fen digits, as on the wire. */
  txnAmt: string;
  queryId: string;
  /** consume: awaiting → paid | failed (→ paid before payTimeout); refund/undo: processing → succeeded | failed. */
  status: 'awaiting' | 'paid' | 'failed' | 'processing' | 'succeeded';
  backUrl: string;
  frontUrl?: string;
  /** ISO instant after which the cashier refuses the consume. */
  payBy?: string;
  reqReserved?: string;
  origQryId?: string;
  /** Consume: fen refunded or being refunded (processing + succeeded), so the cap holds while refunds settle. */
  refundedFen?: number;
  /** Refund: when it settles by itself if no control settled it first. */
  settleAt?: string;
  traceNo?: string;
  traceTime?: string;
  settleDate?: string;
  createdAt: string;
}

export const txnKey = (merId: string, orderId: string, txnTime: string) => `${merId}:${orderId}:${txnTime}`;
export const orderKey = (merId: string, orderId: string) => `${merId}:${orderId}`;

/** 21 digits like UnionPay's: a time prefix and randomness. */
export function newQueryId(now: Date): string {
  return `${beijingCompact(now).slice(2)}${Array.from({ length: 9 }, () => randomInt(10)).join('')}`;
}

/** What a successful transaction adds: system trace number, its time MMDDhhmmss and the settlement date MMDD. */
export function traceOf(now: Date) {
  const c = beijingCompact(now);
  return { traceNo: String(randomInt(1_000_000)).padStart(6, '0'), traceTime: c.slice(4), settleDate: c.slice(4, 8) };
}

/** `YYYYMMDDhhmmss` Beijing time → instant; null when it is not a real time. */
export function parseBeijingCompact(s: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(s);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const at = new Date(Date.UTC(y, mo - 1, d, h - 8, mi, se));
  return beijingCompact(at) === s ? at : null;
}

/**
 * The fields a notification or a frontUrl post carries for a successful transaction
 * (docs/protocols/unionpay.md#notification-fields).
 */
export function resultFields(t: TxnRecord, resp: { respCode: string; respMsg: string }): Record<string, string> {
  const txnType = t.type === 'consume' ? '01' : t.type === 'refund' ? '04' : '31';
  return {
    version: '5.1.0',
    encoding: 'UTF-8',
    bizType: '000201',
    accessType: '0',
    merId: t.merId,
    txnType,
    txnSubType: t.type === 'consume' ? '01' : '00',
    orderId: t.orderId,
    txnTime: t.txnTime,
    txnAmt: t.txnAmt,
    currencyCode: '156',
    queryId: t.queryId,
    settleAmt: t.txnAmt,
    settleCurrencyCode: '156',
    settleDate: t.settleDate ?? '',
    traceNo: t.traceNo ?? '',
    traceTime: t.traceTime ?? '',
    accNo: '6216****0110',
    origQryId: t.origQryId ?? '',
    reqReserved: t.reqReserved ?? '',
    ...resp,
  };
}
