import type { BillResult } from '../provider.ts';
import { downloadBillFile } from './bill-file.ts';
import type { ApiClient } from './client.ts';
import { crossCheckFunds, parseFundFlowBill } from './fund-flow-bill.ts';
import { billLines, parseTradeBillRows } from './trade-bill.ts';

/**
 * A day's bill from WeChat Pay: the trade bill (`/v3/bill/tradebill`, bill_type ALL) gives the lines; the
 * fund-flow bill of the basic account (`/v3/bill/fundflowbill`) is checked against it, so money that moved
 * without a trade, or a trade whose money never moved, is found too (`fundDifferences`).
 */
export async function downloadWechatpayBill(api: ApiClient, date: string): Promise<BillResult> {
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
  const fundDifferences = crossCheckFunds(rows, entries);
  return { kind: 'bill', lines: billLines(rows), ...(fundDifferences.length ? { fundDifferences } : {}) };
}
