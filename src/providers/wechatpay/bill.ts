import type { BillResult } from '../provider.ts';
import { downloadBillFile } from './bill-file.ts';
import type { ApiClient } from './client.ts';
import { crossCheckFunds, parseFundFlowBill, type DayFiles } from './fund-flow-bill.ts';
import { billLines, parseTradeBillRows } from './trade-bill.ts';

/**
 * A day's bill from WeChat Pay: the trade bill (`/v3/bill/tradebill`, bill_type ALL) gives the lines; the
 * fund-flow bill of the basic account (`/v3/bill/fundflowbill`) is checked against it, so money that moved
 * without a trade, or a trade whose money never moved, is found too (`fundDifferences`). The day before's
 * two files are read as well, for money booked across midnight.
 */
export async function downloadWechatpayBill(api: ApiClient, date: string): Promise<BillResult> {
  const today = await dayFiles(api, date);
  if (today.kind !== 'files') return today;
  // The day before, for money booked across its midnight (crossCheckFunds); its files exist if today's do.
  const yesterday = await dayFiles(api, previousDate(date));
  if (yesterday.kind !== 'files')
    return yesterday.kind === 'unknown' ? { kind: 'unknown', reason: `previous_day_${yesterday.reason}` } : yesterday;
  const fundDifferences = crossCheckFunds(new Date(`${date}T00:00:00+08:00`), today, yesterday);
  return { kind: 'bill', lines: billLines(today.trade), ...(fundDifferences.length ? { fundDifferences } : {}) };
}

type DayResult = ({ kind: 'files' } & DayFiles) | { kind: 'not_ready' } | { kind: 'unknown'; reason: string };

async function dayFiles(api: ApiClient, date: string): Promise<DayResult> {
  const d = encodeURIComponent(date);
  const trade = await downloadBillFile(api, `/v3/bill/tradebill?bill_date=${d}&bill_type=ALL`);
  if (trade.kind === 'not_ready' || trade.kind === 'unknown') return trade;
  const funds = await downloadBillFile(api, `/v3/bill/fundflowbill?bill_date=${d}&account_type=BASIC`);
  if (funds.kind === 'not_ready') return funds;
  if (funds.kind === 'unknown') return { kind: 'unknown', reason: `fundflow_${funds.reason}` };
  const rows = trade.kind === 'file' ? parseTradeBillRows(trade.text) : [];
  if (!rows) return { kind: 'unknown', reason: 'malformed_bill' };
  const entries = funds.kind === 'file' ? parseFundFlowBill(funds.text) : [];
  if (!entries) return { kind: 'unknown', reason: 'malformed_fundflow_bill' };
  return { kind: 'files', trade: rows, funds: entries };
}

const previousDate = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
