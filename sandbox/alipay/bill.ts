import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import type { Hono } from 'hono';
import iconv from 'iconv-lite';
import { beijingDateTime, type Clock } from '../../src/lib/clock.ts';
import { toYuanString } from '../../src/lib/money.ts';
import type { RecordStore } from '../shared/store.ts';
import { business, invalidParameter, success, type ApiResult } from './errors.ts';
import type { SandboxTrade } from './trades.ts';

/**
 * `alipay.data.dataservice.bill.downloadurl.query` and the file it points at, as Alipay serves it: a zip
 * (`fileType=csv.zip`) of two GBK CSVs, `{account}_{yyyyMMdd}_业务明细.csv` and `…_业务明细(汇总).csv`, entry
 * names in GBK without the zip UTF-8 flag. Built from the sandbox's own trades (docs/sandbox/alipay.md).
 */
export const BILL_COLUMNS = [
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '商品名称',
  '创建时间',
  '完成时间',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝红包（元）',
  '集分宝（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '券核销金额（元）',
  '券名称',
  '商家红包消费金额（元）',
  '卡消费金额（元）',
  '退款批次号/请求号',
  '服务费（元）',
  '分润（元）',
  '备注',
];

/** The 业务明细(汇总) file: one row per store, then the 合计 row (the sandbox has no stores: 合计 only). */
export const SUMMARY_COLUMNS = [
  '门店编号',
  '门店名称',
  '交易订单总笔数',
  '退款订单总笔数',
  '订单金额（元）',
  '商家实收（元）',
  '支付宝优惠（元）',
  '商家优惠（元）',
  '卡消费金额（元）',
  '服务费（元）',
  '分润（元）',
  '实收净额（元）',
];

/**
 * Alipay ends these values with a tab, even when empty, so that Excel keeps the long numbers as text
 * (every published sample of the live file has exactly these).
 */
const TAB_SUFFIXED = new Set([
  '支付宝交易号',
  '商户订单号',
  '业务类型',
  '门店编号',
  '门店名称',
  '操作员',
  '终端号',
  '对方账户',
  '商家红包消费金额（元）',
  '退款批次号/请求号',
]);
const AMOUNT_COLUMNS = BILL_COLUMNS.filter((c) => c.endsWith('（元）'));

const DETAIL_START = '#-----------------------------------------业务明细列表----------------------------------------';
const DETAIL_END = '#-----------------------------------------业务明细列表结束------------------------------------';
const SUMMARY_START = '#-----------------------------------------业务汇总列表----------------------------------------';
const SUMMARY_END = '#----------------------------------------业务汇总列表结束-------------------------------------';

type Row = Record<string, string>;
interface DayTotals {
  payments: number;
  refunds: number;
  paidFen: number;
  refundedFen: number;
}
interface BillDay {
  account: string;
  date: string;
  exportedAt: Date;
}

/** A day's bill exists once the day is over in Beijing (Alipay makes it the next morning; the sandbox at midnight). */
const isClosedDay = (date: string, now: Date) =>
  /^\d{4}-\d{2}-\d{2}$/.test(date) && date < beijingDateTime(now).slice(0, 10);

/** Yuan with a sign: refunds and net totals can be negative, which `toYuanString` refuses. */
const signedYuan = (fen: number) => (fen < 0 ? `-${toYuanString(-fen)}` : toYuanString(fen));

/** `2026-11-25 01:02:03` → `2026年11月25日 01:02:03`, the bill's own way of writing a time. */
const chineseDateTime = (t: string) => `${t.slice(0, 4)}年${t.slice(5, 7)}月${t.slice(8, 10)}日${t.slice(10)}`;

function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** The three `#` lines both files start with; the period is [day 00:00:00, next day 00:00:00]. */
function preamble(title: string, day: BillDay): string[] {
  return [
    `#${title}`,
    `#账号：[${day.account}]`,
    `#起始日期：[${chineseDateTime(`${day.date} 00:00:00`)}]   终止日期：[${chineseDateTime(`${nextDay(day.date)} 00:00:00`)}]`,
  ];
}

const exportLine = (day: BillDay) => `#导出时间：[${chineseDateTime(beijingDateTime(day.exportedAt))}]`;

function blankRow(): Row {
  const row: Row = Object.fromEntries(BILL_COLUMNS.map((c) => [c, '']));
  for (const c of AMOUNT_COLUMNS) row[c] = '0.00';
  return row;
}

/** Alipay writes no quotes: a comma or line break in a subject would break the row, so it becomes a space. */
const plainSubject = (s: string) => s.replace(/[,\r\n]/g, ' ');

function paymentRow(t: SandboxTrade): Row {
  return {
    ...blankRow(),
    支付宝交易号: t.tradeNo,
    商户订单号: t.outTradeNo,
    业务类型: '交易',
    商品名称: plainSubject(t.subject),
    创建时间: t.gmtCreate,
    完成时间: t.gmtPayment ?? '',
    对方账户: t.buyerLogonId ?? '',
    '订单金额（元）': toYuanString(t.totalFen),
    '商家实收（元）': toYuanString(t.totalFen),
  };
}

function refundRow(t: SandboxTrade, f: SandboxTrade['refunds'][number]): Row {
  return {
    ...blankRow(),
    支付宝交易号: t.tradeNo,
    商户订单号: t.outTradeNo,
    业务类型: '退款',
    商品名称: plainSubject(t.subject),
    创建时间: t.gmtCreate,
    完成时间: f.gmtRefund,
    对方账户: t.buyerLogonId ?? '',
    '订单金额（元）': signedYuan(-f.amountFen),
    '商家实收（元）': signedYuan(-f.amountFen),
    '退款批次号/请求号': f.outRequestNo,
  };
}

/** Payments on the day of gmtPayment, refunds on the day of gmtRefund (amounts negative). */
function dayRows(trades: SandboxTrade[], date: string): { rows: Row[]; totals: DayTotals } {
  const rows: Row[] = [];
  const totals: DayTotals = { payments: 0, refunds: 0, paidFen: 0, refundedFen: 0 };
  for (const t of trades) {
    if (t.gmtPayment?.startsWith(date)) {
      rows.push(paymentRow(t));
      totals.payments += 1;
      totals.paidFen += t.totalFen;
    }
    for (const f of t.refunds.filter((x) => x.gmtRefund.startsWith(date))) {
      rows.push(refundRow(t, f));
      totals.refunds += 1;
      totals.refundedFen += f.amountFen;
    }
  }
  return { rows, totals };
}

const csvLine = (row: Row) => BILL_COLUMNS.map((c) => (TAB_SUFFIXED.has(c) ? `${row[c]}\t` : row[c])).join(',');

function detailCsv(day: BillDay, rows: Row[], totals: DayTotals): string {
  return [
    ...preamble('支付宝业务明细查询', day),
    DETAIL_START,
    BILL_COLUMNS.join(','),
    ...rows.map(csvLine),
    DETAIL_END,
    `#交易合计：${totals.payments}笔，商家实收共${toYuanString(totals.paidFen)}元，商家优惠共0.00元`,
    `#退款合计：${totals.refunds}笔，商家实收退款共${signedYuan(-totals.refundedFen)}元，商家优惠退款共0.00元`,
    exportLine(day),
    '',
  ].join('\r\n');
}

function summaryCsv(day: BillDay, totals: DayTotals): string {
  const net = signedYuan(totals.paidFen - totals.refundedFen);
  const total = [
    '合计',
    '',
    String(totals.payments),
    String(totals.refunds),
    net,
    net,
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    '0.00',
    net,
  ];
  return [
    ...preamble('支付宝业务汇总查询', day),
    SUMMARY_START,
    SUMMARY_COLUMNS.join(','),
    total.join(','),
    SUMMARY_END,
    exportLine(day),
    '',
  ].join('\r\n');
}

/**
 * A zip whose entry names are GBK bytes without the UTF-8 flag, as Alipay's are. fflate only takes names as
 * strings and writes them as UTF-8 (flagged), so each entry is zipped under an ASCII stand-in of the same
 * byte length and the GBK bytes are written over it afterwards (names are outside the CRC and the data).
 */
export function zipWithGbkNames(files: Array<[name: string, data: Uint8Array]>, mtime: Date): Uint8Array<ArrayBuffer> {
  const names = files.map(([name]) => iconv.encode(name, 'gbk'));
  const standIns = names.map((n, i) => String(i).padStart(n.length, '_'));
  const zip = zipSync(Object.fromEntries(files.map(([, data], i) => [standIns[i]!, data])), { mtime });
  overwriteNames(zip, names);
  return zip;
}

/** Walks the central directory (fflate writes it in insertion order, no archive comment) and each local header. */
function overwriteNames(zip: Uint8Array, names: Uint8Array[]): void {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  if (view.getUint32(eocd, true) !== 0x06054b50) throw new Error('zip without end of central directory');
  let at = view.getUint32(eocd + 16, true);
  for (const name of names) {
    if (view.getUint32(at, true) !== 0x02014b50 || view.getUint16(at + 28, true) !== name.length)
      throw new Error('unexpected zip layout');
    zip.set(name, at + 46);
    zip.set(name, view.getUint32(at + 42, true) + 30);
    at += 46 + name.length + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
}

export function createAlipayBill(deps: {
  store: RecordStore;
  clock: Clock;
  appId: string;
  secret: string;
  baseUrl: string;
  sellerId: string;
}) {
  const token = (date: string) =>
    createHash('sha256').update(`${deps.secret}:${deps.appId}:${date}`).digest('hex').slice(0, 32);
  // Alipay names the account by the merchant's 2088 user id plus 0156 (the CNY account).
  const account = `${deps.sellerId}0156`;

  function downloadUrlQuery(biz: Record<string, unknown>): ApiResult {
    if (biz.bill_type !== 'trade') return invalidParameter('bill_type');
    const date = typeof biz.bill_date === 'string' ? biz.bill_date : '';
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(date)) return invalidParameter('bill_date');
    if (!isClosedDay(date, deps.clock.now())) return business('isp.bill_not_exist', '账单不存在');
    return success({ bill_download_url: `${deps.baseUrl}/bill/download?bill_date=${date}&token=${token(date)}` });
  }

  async function billZip(date: string): Promise<{ name: string; zip: Uint8Array<ArrayBuffer> }> {
    const day: BillDay = { account, date, exportedAt: deps.clock.now() };
    const { rows, totals } = dayRows(await deps.store.list<SandboxTrade>('trade'), date);
    const prefix = `${account}_${date.replaceAll('-', '')}`;
    const zip = zipWithGbkNames(
      [
        [`${prefix}_业务明细.csv`, iconv.encode(detailCsv(day, rows, totals), 'gbk')],
        [`${prefix}_业务明细(汇总).csv`, iconv.encode(summaryCsv(day, totals), 'gbk')],
      ],
      day.exportedAt,
    );
    return { name: `${prefix}.csv.zip`, zip };
  }

  /** The download URL Alipay hands out: unauthenticated but unguessable, as Alipay's are (they also expire after 30 s). */
  function mount(app: Hono): void {
    app.get('/bill/download', async (c) => {
      const date = c.req.query('bill_date') ?? '';
      if (!isClosedDay(date, deps.clock.now()) || c.req.query('token') !== token(date))
        return c.text('bill not found', 404);
      const { name, zip } = await billZip(date);
      return new Response(zip, {
        headers: { 'content-type': 'application/zip', 'content-disposition': `attachment; filename="${name}"` },
      });
    });
  }

  return { downloadUrlQuery, mount };
}
