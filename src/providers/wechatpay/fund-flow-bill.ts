import { fromYuanString } from '../../lib/money.ts';
import type { FundDifference } from '../provider.ts';
import { beijingBillTime, billRows } from './bill-file.ts';
import type { TradeBillRow } from './trade-bill.ts';

/** One movement of the basic account, from the fund-flow bill (资金账单). */
export interface FundEntry {
  at: Date;
  /** 微信支付业务单号: transaction_id for a payment, refund_id for a refund. */
  wechatNo: string;
  business: string;
  direction: 'income' | 'expense';
  /** Fen, positive. */
  amount: number;
}

const COLUMNS = ['记账时间', '微信支付业务单号', '业务名称', '收支类型', '收支金额（元）'] as const;

/** Null when the file is not WeChat's fund-flow bill. */
export function parseFundFlowBill(text: string): FundEntry[] | null {
  const rows = billRows(text, COLUMNS, '资金流水总笔数');
  if (!rows) return null;
  const out: FundEntry[] = [];
  for (const r of rows) {
    const at = beijingBillTime(r['记账时间']);
    const amount = fromYuanString(r['收支金额（元）'] ?? '');
    const direction = r['收支类型'] === '收入' ? 'income' : r['收支类型'] === '支出' ? 'expense' : null;
    if (!at || amount === null || !direction || !r['微信支付业务单号']) return null;
    out.push({ at, wechatNo: r['微信支付业务单号']!, business: r['业务名称'] ?? '', direction, amount });
  }
  return out;
}

/** A difference with the time of the row or movement it is about, to tell the ones near midnight. */
type Finding = FundDifference & { at: Date };

/**
 * The money check of one pair of files: every successful payment of the trade bill came into the basic
 * account (收入 under its transaction_id) and every successful refund left it (支出 under its refund_id), for
 * the same amount; and every 交易 or 退款 movement of the account is one of the trade bill's lines. Movements
 * under the same number and direction are summed, so money booked twice shows as an amount that differs, and
 * one booked in two parts still agrees. Other movements (fees, withdrawals, adjustments under other business
 * names) are not trades and are not checked here. A refund still PROCESSING or ABNORMAL may or may not have
 * moved money yet; when it has, the amount must agree.
 */
function findings(trade: TradeBillRow[], funds: FundEntry[]): Finding[] {
  const moved = new Map<
    string,
    { wechatNo: string; direction: FundEntry['direction']; business: string; amount: number; at: Date }
  >();
  for (const f of funds.filter((x) => x.business === '交易' || x.business === '退款')) {
    const key = `${f.direction}:${f.wechatNo}`;
    const seen = moved.get(key);
    moved.set(key, {
      wechatNo: f.wechatNo,
      direction: f.direction,
      business: f.business,
      amount: (seen?.amount ?? 0) + f.amount,
      at: seen?.at ?? f.at,
    });
  }
  const out: Finding[] = [];
  for (const row of trade) {
    const payment = row.kind === 'payment';
    const direction = payment ? 'income' : 'expense';
    const wechatNo = payment ? row.transactionId : row.refundId;
    const entry = moved.get(`${direction}:${wechatNo}`);
    moved.delete(`${direction}:${wechatNo}`);
    const ids = {
      providerNo: wechatNo,
      direction,
      paymentNo: row.paymentNo,
      refundNo: row.refundNo,
      amount: row.amount,
      at: row.at,
    } as const;
    if (!entry) {
      if (payment || row.refundStatus === 'SUCCESS')
        out.push({
          ...ids,
          kind: 'funds_missing',
          fundAmount: null,
          detail: `${payment ? 'paid' : 'refunded'} in the trade bill, but no ${payment ? '收入' : '支出'} under ${wechatNo} in the fund-flow bill`,
        });
    } else if (entry.amount !== row.settled) {
      // The account moves by the settled amount: a merchant-funded coupon never reaches it.
      out.push({
        ...ids,
        kind: 'funds_amount_differs',
        fundAmount: entry.amount,
        detail: `trade bill ${row.settled} settled, fund-flow bill ${entry.amount} under ${wechatNo}`,
      });
    }
  }
  for (const f of moved.values()) {
    out.push({
      kind: 'funds_unexplained',
      providerNo: f.wechatNo,
      direction: f.direction,
      paymentNo: null,
      refundNo: null,
      amount: null,
      fundAmount: f.amount,
      at: f.at,
      detail: `${f.direction === 'income' ? '收入' : '支出'} of ${f.amount} as ${f.business} under ${f.wechatNo}, which the trade bill does not list`,
    });
  }
  return out;
}

/** The files of one day. */
export interface DayFiles {
  trade: TradeBillRow[];
  funds: FundEntry[];
}

/** How long after a trade its money may be booked and still count as on time: money booked across midnight. */
export const MIDNIGHT_WINDOW_MS = 10 * 60_000;

/**
 * The money check of a Beijing day, tolerant of money booked across midnight: a trade of the day's last
 * minutes whose movement is not in the day's fund flow is left for the next day's check, which looks for it
 * among its first minutes' movements and reports it only if it is not there either. So a movement booked at
 * 00:00:05 for a trade at 23:59:58 is no difference at all, on either day.
 */
export function crossCheckFunds(
  dayStart: Date,
  today: DayFiles,
  yesterday: DayFiles,
  windowMs = MIDNIGHT_WINDOW_MS,
): FundDifference[] {
  const dayEnd = new Date(dayStart.getTime() + 86_400_000);
  const lateIn = (at: Date, end: Date) => at.getTime() >= end.getTime() - windowMs;
  const carried = findings(yesterday.trade, yesterday.funds).filter(
    (f) => f.kind === 'funds_missing' && lateIn(f.at, dayStart),
  );
  const out: FundDifference[] = [];
  for (const f of findings(today.trade, today.funds)) {
    if (f.kind === 'funds_missing' && lateIn(f.at, dayEnd)) continue; // the next day's check decides
    if (f.kind === 'funds_unexplained' && f.at.getTime() < dayStart.getTime() + windowMs) {
      const i = carried.findIndex(
        (c) => c.providerNo === f.providerNo && c.direction === f.direction && c.amount === f.fundAmount,
      );
      if (i >= 0) {
        carried.splice(i, 1);
        continue;
      }
    }
    out.push(withoutTime(f));
  }
  for (const c of carried)
    out.push({ ...withoutTime(c), detail: `${c.detail} of the day before, nor in this day's first minutes` });
  return out;
}

const withoutTime = ({ at: _at, ...d }: Finding): FundDifference => d;
