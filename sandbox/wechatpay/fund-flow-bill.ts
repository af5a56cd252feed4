import { createHash } from 'node:crypto';
import { billFile, billTime, plain, yuan } from './bill-text.ts';
import type { RefundRecord, TradeRecord } from './records.ts';

/** Columns of the fund-flow bill (资金账单) of the basic account, in WeChat's order. */
export const FUND_FLOW_COLUMNS = [
  '记账时间',
  '微信支付业务单号',
  '资金流水单号',
  '业务名称',
  '业务类型',
  '收支类型',
  '收支金额（元）',
  '账户结余（元）',
  '资金变更提交申请人',
  '备注',
  '业务凭证号',
];
const SUMMARY_COLUMNS = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额'];

/**
 * A movement of the basic account that no trade or refund of the sandbox explains: what a merchant-platform
 * operator or WeChat itself books (an adjustment, a fee). Seeded by `POST /_control/fund-entries`.
 */
export interface FundEntryRecord {
  mchid: string;
  /** 微信支付业务单号: the WeChat number the entry is booked under. */
  wechatNo: string;
  business: string;
  direction: 'income' | 'expense';
  /** Fen, positive. */
  amount: number;
  /** Wire time (RFC 3339, Beijing). */
  at: string;
  voucherNo: string;
  note: string;
}

interface Entry {
  at: string;
  wechatNo: string;
  business: string;
  direction: 'income' | 'expense';
  amount: number;
  applicant: string;
  note: string;
  voucherNo: string;
}

/**
 * Money moves in the basic account when a payment succeeds (收入, under its transaction_id) and when WeChat
 * accepts a refund (支出, under its refund_id: the balance must cover it then, hence NOT_ENOUGH at creation).
 * A refund that ends CLOSED is left out, as if its money had come back the same day (the sandbox's
 * simplification: it books no reversal entry). The balance runs over every day, from zero.
 */
export function fundFlowBillText(
  trades: TradeRecord[],
  refunds: RefundRecord[],
  extra: FundEntryRecord[],
  date: string,
): { text: string; count: number } {
  const entries: Entry[] = [
    ...trades
      .filter((t) => t.success_time && t.transaction_id)
      .map((t) => ({
        at: t.success_time!,
        wechatNo: t.transaction_id!,
        business: '交易',
        direction: 'income' as const,
        // What is settled: a merchant-funded coupon's part never reaches the account.
        amount: t.total - (t.coupon ?? 0),
        applicant: 'system',
        note: '',
        voucherNo: t.out_trade_no,
      })),
    ...refunds
      .filter((r) => r.status !== 'CLOSED')
      .map((r) => ({
        at: r.create_time,
        wechatNo: r.refund_id,
        business: '退款',
        direction: 'expense' as const,
        amount: r.refund - (r.coupon_refund ?? 0),
        applicant: 'system',
        note: plain(r.reason ?? ''),
        voucherNo: r.out_refund_no,
      })),
    ...extra.map((e) => ({ ...e, applicant: 'sandbox', note: plain(e.note), voucherNo: plain(e.voucherNo) })),
    // Stable: movements of the same second keep the order their records were made in.
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  let balance = 0;
  const rows: string[][] = [];
  const totals = { income: 0, incomeCount: 0, expense: 0, expenseCount: 0 };
  for (const e of entries) {
    balance += e.direction === 'income' ? e.amount : -e.amount;
    if (!e.at.startsWith(date)) continue;
    if (e.direction === 'income') {
      totals.income += e.amount;
      totals.incomeCount++;
    } else {
      totals.expense += e.amount;
      totals.expenseCount++;
    }
    rows.push([
      billTime(e.at),
      e.wechatNo,
      flowNo(e),
      e.business,
      e.business,
      e.direction === 'income' ? '收入' : '支出',
      yuan(e.amount),
      yuan(balance),
      e.applicant,
      e.note,
      e.voucherNo,
    ]);
  }
  const summary = [
    String(rows.length),
    String(totals.incomeCount),
    yuan(totals.income),
    String(totals.expenseCount),
    yuan(totals.expense),
  ];
  return { text: billFile(FUND_FLOW_COLUMNS, rows, SUMMARY_COLUMNS, summary), count: rows.length };
}

/** 资金流水单号: stable for the same movement, so the same day's file is the same whenever it is made. */
const flowNo = (e: Entry) =>
  `1900${BigInt(
    `0x${createHash('sha256').update(`${e.business}:${e.direction}:${e.wechatNo}`).digest('hex').slice(0, 15)}`,
  )
    .toString()
    .padStart(20, '0')
    .slice(0, 20)}`;
