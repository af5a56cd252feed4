import { createHash } from 'node:crypto';
import type { Clock } from '../../src/lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import { plain } from './bill-text.ts';
import { fundFlowBillText, type FundEntryRecord } from './fund-flow-bill.ts';
import { wireTime, type RefundRecord, type TradeRecord } from './records.ts';
import { tradeBillText, type TradeBillFormat } from './trade-bill.ts';
import type { WireError } from './trades.ts';

type BillKind = 'trade' | 'fundflow';
type Answer = { status: 200; body: Record<string, unknown> } | { error: WireError };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const ACCOUNT_TYPES = ['BASIC', 'OPERATION', 'FEES'];
const today = (clock: Clock) => wireTime(clock.now()).slice(0, 10);

/**
 * `GET /v3/bill/tradebill`, `GET /v3/bill/fundflowbill` and the files behind their `download_url`, made from
 * the sandbox's own records when first asked for. A day's bills exist once the Beijing day is over (WeChat:
 * from about 10:00 the next day); a day without a line has none (NO_STATEMENT_EXIST).
 */
export function createBills(deps: {
  store: RecordStore;
  clock: Clock;
  secret: string;
  baseUrl: string;
  settleDue: () => Promise<void>;
}) {
  const token = (kind: BillKind, mchid: string, date: string, account: string) =>
    createHash('sha256').update(`${deps.secret}:${kind}:${mchid}:${date}:${account}`).digest('hex').slice(0, 40);

  /**
   * WeChat makes a day's file once ("数据快照"): the first request after the day is over makes it, and every
   * later one, on any instance, gets the same bytes, so the hash and the download always agree. A day without
   * a line is not kept (there is no file to keep).
   */
  async function file(
    kind: BillKind,
    mchid: string,
    date: string,
    account: string,
  ): Promise<{ text: string; count: number }> {
    const key = `${kind}:${mchid}:${date}:${account}`;
    const made = await deps.store.get<{ text: string; count: number }>('bill_file', key);
    if (made) return made;
    const fresh = await build(kind, mchid, date, account);
    if (fresh.count === 0) return fresh;
    await deps.store.insert('bill_file', key, fresh);
    return (await deps.store.get<{ text: string; count: number }>('bill_file', key)) ?? fresh;
  }

  async function build(
    kind: BillKind,
    mchid: string,
    date: string,
    account: string,
  ): Promise<{ text: string; count: number }> {
    await deps.settleDue();
    const trades = (await deps.store.list<TradeRecord>('trade')).filter((t) => t.mchid === mchid);
    const refunds = (await deps.store.list<RefundRecord>('refund')).filter((r) => r.mchid === mchid);
    if (kind === 'trade') return tradeBillText(trades, refunds, date, await format(mchid));
    // The sandbox's trades and refunds all move the basic account; the other two accounts see only seeded entries.
    const extra = (await deps.store.list<FundEntryRecord & { account?: string }>('fund_entry')).filter(
      (e) => e.mchid === mchid && (e.account ?? 'BASIC') === account,
    );
    return account === 'BASIC' ? fundFlowBillText(trades, refunds, extra, date) : fundFlowBillText([], [], extra, date);
  }

  /** The trade bill layout this merchant receives (control `bill-format`); kept with the records, like them shared. */
  async function format(mchid: string): Promise<TradeBillFormat> {
    return (await deps.store.get<{ format: TradeBillFormat }>('bill_format', mchid))?.format ?? 'current';
  }

  /** Control: the layout of the trade bills made from now on (a day's file, once made, keeps its bytes). */
  async function setFormat(mchid: string, f: TradeBillFormat): Promise<void> {
    await deps.store.put('bill_format', mchid, { format: f });
  }

  async function apply(kind: BillKind, mchid: string, query: URLSearchParams, account: string): Promise<Answer> {
    const date = query.get('bill_date') ?? '';
    if (!DATE.test(date)) return { error: { status: 400, code: 'PARAM_ERROR', message: 'bill_date 格式错误' } };
    // Compressed files would change what the hash covers; the sandbox serves plain files only.
    if (query.get('tar_type'))
      return {
        error: {
          status: 400,
          code: 'PARAM_ERROR',
          message: 'the sandbox serves uncompressed bills only (no tar_type)',
        },
      };
    if (date >= today(deps.clock)) return { error: { status: 400, code: 'STATEMENT_CREATING', message: '账单生成中' } };
    const { text, count } = await file(kind, mchid, date, account);
    if (count === 0) return { error: { status: 400, code: 'NO_STATEMENT_EXIST', message: '账单文件不存在' } };
    const params = new URLSearchParams({
      token: token(kind, mchid, date, account),
      kind,
      bill_date: date,
      account_type: account,
    });
    return {
      status: 200,
      body: {
        hash_type: 'SHA1',
        hash_value: createHash('sha1').update(text, 'utf8').digest('hex'),
        download_url: `${deps.baseUrl}/v3/billdownload/file?${params}`,
      },
    };
  }

  /** `?bill_date=YYYY-MM-DD&bill_type=ALL` → hash and download URL. */
  function tradeBill(mchid: string, query: URLSearchParams): Promise<Answer> {
    if ((query.get('bill_type') ?? 'ALL') !== 'ALL')
      return Promise.resolve({
        error: { status: 400, code: 'PARAM_ERROR', message: 'the sandbox serves bill_type ALL only' },
      });
    return apply('trade', mchid, query, '');
  }

  /** `?bill_date=YYYY-MM-DD&account_type=BASIC|OPERATION|FEES` (BASIC when absent) → hash and download URL. */
  function fundFlowBill(mchid: string, query: URLSearchParams): Promise<Answer> {
    const account = query.get('account_type') ?? 'BASIC';
    if (!ACCOUNT_TYPES.includes(account))
      return Promise.resolve({ error: { status: 400, code: 'PARAM_ERROR', message: 'account_type 取值错误' } });
    return apply('fundflow', mchid, query, account);
  }

  /** The file itself: authenticated like every /v3 call, but answered unsigned (WeChat signs no bill download). */
  async function download(mchid: string, query: URLSearchParams): Promise<Response> {
    const kind = query.get('kind') === 'fundflow' ? 'fundflow' : 'trade';
    const date = query.get('bill_date') ?? '';
    const account = query.get('account_type') ?? '';
    if (query.get('token') !== token(kind, mchid, date, account))
      return Response.json({ code: 'RESOURCE_NOT_EXISTS', message: '账单不存在' }, { status: 404 });
    return new Response((await file(kind, mchid, date, account)).text, {
      headers: { 'content-type': 'text/plain;charset=utf-8' },
    });
  }

  /** Control: book a movement no trade explains (an adjustment made on the merchant platform, say). */
  async function addFundEntry(
    mchid: string,
    e: Omit<FundEntryRecord, 'mchid' | 'at'> & { at?: string; account?: string },
  ): Promise<FundEntryRecord> {
    const entry = { ...e, business: plain(e.business), mchid, at: e.at ?? wireTime(deps.clock.now()) };
    await deps.store.put('fund_entry', `${mchid}:${e.account ?? 'BASIC'}:${entry.direction}:${entry.wechatNo}`, entry);
    return entry;
  }

  return { tradeBill, fundFlowBill, download, addFundEntry, format, setFormat };
}

export type Bills = ReturnType<typeof createBills>;
