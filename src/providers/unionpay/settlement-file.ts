import { inflateSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { beijingCompact, type Clock } from '../../lib/clock.ts';
import { readZip, ZipError, type ZipEntry } from '../../lib/zip.ts';
import type { BillLine, BillResult } from '../provider.ts';
import type { AcpPost } from './acp-client.ts';

/** A settlement file is a few MB at most; a bigger inflation (of the answer or of a zip entry) is refused rather than eating memory. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The day's settlement file through fileTransfer (posted to UNIONPAY_FILE_URL itself, e.g.
 * https://filedownload.95516.com/, not to the gateway: ACPSample acp_sdk.properties acpsdk.fileTransUrl) (txnType 76, fileType 00, settleDate MMDD): a signed
 * answer whose `fileContent` is a zip of the day's files, deflated and base64'd (demo `deCodeFileContent`
 * inflates it, then unzips what it wrote, e.g. `802310048993424_20150905.zip`). The signature is checked
 * like every other answer by `post`; the merchant's transactions are in the zip's ZM file.
 */
export async function downloadSettlementFile(
  post: AcpPost,
  deps: { merId: string; clock: Clock },
  date: string,
): Promise<BillResult> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return { kind: 'unknown', reason: 'bad_date' };
  const answer = await post('', {
    version: '5.1.0',
    encoding: 'UTF-8',
    txnType: '76',
    txnSubType: '01',
    bizType: '000000',
    accessType: '0',
    merId: deps.merId,
    settleDate: `${m[2]}${m[3]}`,
    txnTime: beijingCompact(deps.clock.now()),
    fileType: '00',
  });
  if (!answer.ok) return { kind: 'unknown', reason: `${answer.reason}: ${answer.message}` };
  const f = answer.fields;
  // 98: no file (yet) for that settleDate (unconfirmed whether a day without trades also answers 98).
  if (f.respCode === '98') return { kind: 'not_ready' };
  if (f.respCode !== '00' || !f.fileContent)
    return { kind: 'unknown', reason: `respCode_${f.respCode}: ${f.respMsg ?? ''}` };
  return readSettlementFile(f.fileContent, date, deps.merId);
}

/**
 * `fileContent` → the bill: inflate, unzip, pick the ZM file, parse it. Every way it can fail has its own
 * stable reason, so that an operator can tell a broken transfer from a format mallpay does not know.
 */
export function readSettlementFile(fileContent: string, date: string, merId: string): BillResult {
  let zip: Buffer;
  try {
    zip = inflateSync(Buffer.from(fileContent, 'base64'), { maxOutputLength: MAX_FILE_BYTES });
  } catch {
    return { kind: 'unknown', reason: 'file_content_not_deflated' };
  }
  const zm = zmFileOf(zip, merId, date);
  if (!zm.ok) return { kind: 'unknown', reason: zm.reason };
  const lines = parseZmFile(zm.bytes, date);
  return lines ? { kind: 'bill', lines } : { kind: 'unknown', reason: 'malformed_file' };
}

/**
 * The general transaction flow file (一般交易流水文件) is named `INN{yyMMdd}88ZM_{merId}` (e.g.
 * `INN15052988ZM_824440375380004`); its error file (差错) is `…88ZME_…`, which this does not match. The
 * two digits before ZM are taken as any two, and a folder inside the zip is allowed.
 */
const ZM_NAME = /(?:^|\/)INN(\d{6})\d{2}ZM_([0-9A-Za-z]*)$/;

type ZmPick = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/**
 * Only our own ZM entry of the day asked for is inflated, within bounds, with its size and CRC checked: a zip
 * may hold several merchants' files (a group merchant), and another merchant's or another day's
 * transactions must never be read as ours.
 */
function zmFileOf(zip: Uint8Array, merId: string, date: string): ZmPick {
  let entries: ZipEntry[];
  try {
    entries = readZip(zip, { maxEntries: 256, maxTotalBytes: 4 * MAX_FILE_BYTES });
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    return { ok: false, reason: err.reason === 'too_large' ? 'zip_entry_too_large' : 'file_content_not_zip' };
  }
  const named = entries.map((e) => ({ m: ZM_NAME.exec(e.name), e })).filter((x) => x.m?.[2] === merId);
  if (named.length === 0) return { ok: false, reason: 'zm_file_missing' };
  const ofDay = named.filter((x) => x.m![1] === date.slice(2).replaceAll('-', ''));
  if (ofDay.length === 0) return { ok: false, reason: 'zm_file_of_another_day' };
  if (ofDay.length > 1) return { ok: false, reason: 'zm_file_ambiguous' };
  if (ofDay[0]!.e.size > MAX_FILE_BYTES) return { ok: false, reason: 'zip_entry_too_large' };
  try {
    return { ok: true, bytes: ofDay[0]!.e.read() };
  } catch (err) {
    if (!(err instanceof ZipError)) throw err;
    return { ok: false, reason: 'zm_file_corrupt' };
  }
}

/**
 * The ZM layout (《全渠道平台接入接口规范 第3部分 文件接口》 6.1, the lengths of the demo SDK's parseZMFile):
 * fixed widths in GBK bytes, one space between fields, one transaction a line. The names are UnionPay's;
 * only some are read, the others are listed for their widths. Older files carried a blank 131-byte tail
 * where 原始交易订单号 and 保留使用 now are: the same width, read as blank.
 */
const ZM_LAYOUT = [
  ['txnCode', 3], // 交易代码
  ['acqInsCode', 11], // 代理机构标识码
  ['sendInsCode', 11], // 发送机构标识码
  ['traceNo', 6], // 系统跟踪号
  ['traceTime', 10], // 交易传输时间 MMDDhhmmss, Beijing
  ['accNo', 19], // 帐号
  ['txnAmt', 12], // 交易金额, fen, zero-padded
  ['merCatCode', 4], // 商户类别
  ['termType', 2], // 终端类型
  ['queryId', 21], // 查询流水号
  ['oldPayType', 2], // 支付方式（旧）
  ['orderId', 32], // 商户订单号
  ['payCardType', 2], // 支付卡类型
  ['origTraceNo', 6], // 原始交易的系统跟踪号
  ['origTxnTime', 10], // 原始交易日期时间
  ['merFee', 13], // 商户手续费, C/D + 12 digits
  ['settleAmt', 13], // 结算金额, C/D + 12 digits
  ['payType', 4], // 支付方式
  ['groupMerId', 15], // 集团商户代码
  ['txnType', 2], // 交易类型 (the ACP txnType)
  ['txnSubType', 2], // 交易子类
  ['bizType', 6], // 业务类型
  ['accType', 2], // 帐号类型
  ['billType', 4], // 账单类型
  ['billNo', 32], // 账单号码
  ['interactMode', 1], // 交互方式
  ['origQryId', 21], // 原交易查询流水号
  ['merId', 15], // 商户代码
  ['splitType', 1], // 分账入账方式
  ['subMerId', 15], // 二级商户代码
  ['subMerAbbr', 32], // 二级商户简称 (may be Chinese: widths are bytes)
  ['subMerAmt', 13], // 二级商户分账入账金额
  ['netAmt', 13], // 清算净额
  ['termId', 8], // 终端号
  ['merReserved', 32], // 商户自定义域
  ['discountAmt', 13], // 优惠金额
  ['invoiceAmt', 13], // 发票金额
  ['instalmentFee', 12], // 分期付款附加手续费
  ['instalments', 2], // 分期付款期数
  ['medium', 1], // 交易介质
  ['origOrderId', 32], // 原始交易订单号 (refunds and undos: the consume's orderId)
  ['reserved', 98], // 保留使用
] as const;

type ZmKey = (typeof ZM_LAYOUT)[number][0];
const SPACE = 0x20;

/** Byte offset of each field; the line's width is where the last one ends (607). */
const ZM_AT = new Map<ZmKey, { start: number; end: number }>();
let lineBytes = 0;
for (const [key, width] of ZM_LAYOUT) {
  const start = ZM_AT.size === 0 ? 0 : lineBytes + 1;
  ZM_AT.set(key, { start, end: start + width });
  lineBytes = start + width;
}
export const ZM_LINE_BYTES = lineBytes;

type ZmRow = Record<
  'txnCode' | 'traceTime' | 'txnAmt' | 'queryId' | 'orderId' | 'txnType' | 'origQryId' | 'origOrderId',
  string
>;
const READ: (keyof ZmRow)[] = [
  'txnCode',
  'traceTime',
  'txnAmt',
  'queryId',
  'orderId',
  'txnType',
  'origQryId',
  'origOrderId',
];

/** A line of exactly the layout's width with a space between every two fields; the fields mallpay reads, trimmed. */
function readRow(line: Uint8Array): ZmRow | null {
  if (line.length !== ZM_LINE_BYTES) return null;
  for (const { end } of ZM_AT.values()) if (end < ZM_LINE_BYTES && line[end] !== SPACE) return null;
  const row = {} as ZmRow;
  for (const key of READ) {
    const { start, end } = ZM_AT.get(key)!;
    row[key] = iconv.decode(Buffer.from(line.subarray(start, end)), 'gbk').trim();
  }
  return row;
}

/** CRLF (a bare LF is tolerated) separates lines; blank lines, such as after the last CRLF, are none. */
function splitLines(file: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  while (from < file.length) {
    let to = file.indexOf(0x0a, from);
    if (to < 0) to = file.length;
    const end = to > from && file[to - 1] === 0x0d ? to - 1 : to;
    if (end > from) out.push(file.subarray(from, end));
    from = to + 1;
  }
  return out;
}

/**
 * What a line is, from its 交易类型 (the ACP txnType, 取值同交易接口). 交易代码 (S22 消费, …) is not used:
 * only S22 is corroborated by public material, while 交易类型 takes the documented ACP values. A
 * pre-authorisation (02) and its cancellation (32) only hold and release funds, so they are skipped; a
 * completion (03) takes money like a consume and its undo (33) gives it back like a refund (mallpay makes
 * neither, so reconciliation flags them). Any other type is not something mallpay can reconcile.
 */
const LINE_KIND: Partial<Record<string, 'payment' | 'refund' | 'skip'>> = {
  '01': 'payment',
  '03': 'payment',
  '04': 'refund',
  '31': 'refund',
  '33': 'refund',
  '02': 'skip',
  '32': 'skip',
};

/**
 * The ZM file of settle date `date` (YYYY-MM-DD) → bill lines, or null when any line is malformed. A
 * refund (04) or undo (31) carries its own orderId (our refund number) and the consume's queryId
 * (原交易查询流水号); its paymentNo is the consume's orderId, found by that queryId in the same file, else
 * 原始交易订单号, else '' (the consume was on an earlier day and the file does not name it).
 */
export function parseZmFile(file: Uint8Array, date: string): BillLine[] | null {
  const settle = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!settle) return null;
  const rows: ZmRow[] = [];
  for (const line of splitLines(file)) {
    const row = readRow(line);
    if (!row) return null;
    rows.push(row);
  }
  const consumeOrderId = new Map(
    rows.filter((r) => LINE_KIND[r.txnType] === 'payment').map((r) => [r.queryId, r.orderId]),
  );
  const out: BillLine[] = [];
  for (const row of rows) {
    const kind = LINE_KIND[row.txnType];
    if (kind === 'skip') continue;
    const line = kind
      ? toBillLine(row, kind, { year: Number(settle[1]), mmdd: `${settle[2]}${settle[3]}` }, consumeOrderId)
      : null;
    if (!line) return null;
    out.push(line);
  }
  return out;
}

function toBillLine(
  row: ZmRow,
  kind: 'payment' | 'refund',
  settle: { year: number; mmdd: string },
  consumeOrderId: Map<string, string>,
): BillLine | null {
  const at = transmittedAt(row.traceTime, settle);
  const amount = /^\d{12}$/.test(row.txnAmt) ? Number(row.txnAmt) : 0;
  if (!at || amount <= 0 || !/^[A-Z0-9]{3}$/.test(row.txnCode) || !row.orderId || !row.queryId) return null;
  if (kind === 'payment')
    return { kind, paymentNo: row.orderId, refundNo: null, providerTradeNo: row.queryId, amount, at };
  if (!row.origQryId) return null;
  const paymentNo = consumeOrderId.get(row.origQryId) ?? row.origOrderId;
  return { kind, paymentNo, refundNo: row.orderId, providerTradeNo: row.queryId, amount, at };
}

/**
 * 交易传输时间 is MMDDhhmmss in Beijing time, without a year: it is the settle date's year, or the one
 * before when its MMDD comes after the settle date's (December's trades in a January file).
 */
function transmittedAt(traceTime: string, settle: { year: number; mmdd: string }): Date | null {
  const t = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(traceTime);
  if (!t) return null;
  const year = traceTime.slice(0, 4) > settle.mmdd ? settle.year - 1 : settle.year;
  const [mo, d, h, mi, s] = t.slice(1).map(Number) as [number, number, number, number, number];
  const at = new Date(Date.UTC(year, mo - 1, d, h - 8, mi, s));
  return beijingCompact(at) === `${year}${traceTime}` ? at : null;
}
