import { deflateSync } from 'node:zlib';
import { zipSync } from 'fflate';
import type { Hono } from 'hono';
import { beijingCompact } from '../../src/lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import type { GatewayContext } from './context.ts';
import { checkFields, checkSignature, formFields } from './gateway-request.ts';
import type { TxnRecord } from './records.ts';
import { rawBody, signAsGateway, type Fields } from './wire.ts';

const REQUIRED = [
  'version',
  'encoding',
  'signMethod',
  'certId',
  'signature',
  'txnType',
  'txnSubType',
  'bizType',
  'accessType',
  'merId',
  'settleDate',
  'txnTime',
  'fileType',
] as const;
const ECHO = [
  'version',
  'encoding',
  'bizType',
  'txnType',
  'txnSubType',
  'accessType',
  'merId',
  'txnTime',
  'settleDate',
  'fileType',
];

/**
 * The ZM file (一般交易流水文件) as UnionPay lays it out: these widths in order (the demo SDK's
 * parseZMFile lengths), one space between fields, CRLF after each line. Kept apart from the adapter's
 * named table on purpose (see wire.ts): the sandbox never imports mallpay code.
 */
const ZM_WIDTHS = [
  3, 11, 11, 6, 10, 19, 12, 4, 2, 21, 2, 32, 2, 6, 10, 13, 13, 4, 15, 2, 2, 6, 2, 4, 32, 1, 21, 15, 1, 15, 32, 13, 13,
  8, 32, 13, 13, 12, 2, 1, 32, 98,
];
/** Where the fields the sandbox fills sit in ZM_WIDTHS; every other field is left blank. */
const AT = {
  txnCode: 0,
  traceNo: 3,
  traceTime: 4,
  accNo: 5,
  txnAmt: 6,
  queryId: 9,
  orderId: 11,
  origTraceNo: 13,
  origTraceTime: 14,
  merFee: 15,
  settleAmt: 16,
  txnType: 19,
  txnSubType: 20,
  bizType: 21,
  origQryId: 26,
  merId: 27,
  netAmt: 32,
  origOrderId: 40,
} as const;
type ZmValues = Partial<Record<keyof typeof AT, string>>;
/** Numbers (n) are right-aligned with zeros; everything else is left-aligned with spaces. */
const NUMERIC = new Set<keyof typeof AT>([
  'traceNo',
  'traceTime',
  'txnAmt',
  'origTraceNo',
  'origTraceTime',
  'txnType',
  'txnSubType',
  'bizType',
  'merId',
]);
/**
 * 交易代码: only S22 (消费) is corroborated by public material; the refund and undo codes are the
 * sandbox's guess, and the adapter reads the line's 交易类型 instead.
 */
const TXN_CODE = { consume: 'S22', refund: 'S31', undo: 'S30' } as const;
const TXN_TYPE = { consume: '01', refund: '04', undo: '31' } as const;

function zmLine(values: ZmValues): string {
  const cells = ZM_WIDTHS.map((w) => ' '.repeat(w));
  for (const [key, value] of Object.entries(values) as [keyof typeof AT, string][]) {
    const width = ZM_WIDTHS[AT[key]]!;
    if (value.length > width) throw new Error(`ZM ${key} wider than ${width}: ${value}`);
    cells[AT[key]] = NUMERIC.has(key) ? value.padStart(width, '0') : value.padEnd(width);
  }
  return cells.join(' ');
}

/** X+n12 amounts: C (credit to the merchant) or D (debit), then 12 digits of fen. */
const signed = (sign: 'C' | 'D', fen: string | number) => `${sign}${String(fen).padStart(12, '0')}`;

/** One successful transaction; a refund or undo also names its consume. No fee, no split: settled = amount. */
function zmValues(t: TxnRecord, consume: TxnRecord | undefined): ZmValues {
  const back = t.type !== 'consume';
  return {
    txnCode: TXN_CODE[t.type],
    traceNo: t.traceNo ?? '',
    traceTime: t.traceTime ?? '',
    accNo: '6216****0110',
    txnAmt: t.txnAmt,
    queryId: t.queryId,
    orderId: t.orderId,
    merFee: signed(back ? 'C' : 'D', 0),
    settleAmt: signed(back ? 'D' : 'C', t.txnAmt),
    txnType: TXN_TYPE[t.type],
    txnSubType: back ? '00' : '01',
    bizType: '000201',
    merId: t.merId,
    netAmt: signed(back ? 'D' : 'C', t.txnAmt),
    ...(back
      ? {
          origQryId: t.origQryId ?? '',
          origTraceNo: consume?.traceNo ?? '',
          origTraceTime: consume?.traceTime ?? '',
          origOrderId: consume?.orderId ?? '',
        }
      : {}),
  };
}

/** settleDate is MMDD: the latest such day not after today. */
function settleYear(settleDate: string, now: Date): string {
  const today = beijingCompact(now);
  return settleDate > today.slice(4, 8) ? String(Number(today.slice(0, 4)) - 1) : today.slice(0, 4);
}

/**
 * The zip UnionPay answers with, named `{merId}_{yyyyMMdd}.zip`: the ZM file `INN{yyMMdd}88ZM_{merId}`
 * (ASCII here, which is also GBK) and an empty ZME (差错) file, deflated (zlib) and base64'd.
 */
function settlementZip(merId: string, day: string, lines: string[], now: Date) {
  const zm = Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1');
  const zip = zipSync(
    { [`INN${day.slice(2)}88ZM_${merId}`]: zm, [`INN${day.slice(2)}88ZME_${merId}`]: new Uint8Array(0) },
    { mtime: now },
  );
  return { fileName: `${merId}_${day}.zip`, fileContent: deflateSync(zip).toString('base64') };
}

/**
 * Where the sandbox's file host lives under its own mount: a base URL other than the gateway's, like
 * UnionPay's filedownload.95516.com beside gateway.95516.com. The gateway has no fileTransfer route (404).
 */
export const FILE_HOST_PATH = '/filedownload/';

/**
 * fileTransfer (txnType 76, fileType 00): the merchant's settlement file of one settleDate (MMDD) as a
 * zip, deflated and base64'd into `fileContent`, in a signed answer like every other.
 */
export function mountFileTransfer(app: Hono, ctx: GatewayContext, store: RecordStore): void {
  const answer = (request: Fields, extra: Fields) => {
    const echoed: Fields = {};
    for (const k of ECHO) if (request[k]) echoed[k] = request[k];
    return new Response(rawBody(signAsGateway({ ...echoed, ...extra }, ctx.gatewayCert, ctx.gatewayKey)), {
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
    });
  };

  app.post(FILE_HOST_PATH, async (c) => {
    const fault = ctx.faults.takeCallFault('fileTransfer');
    const f = formFields(await c.req.text());
    if (fault === 'error') return answer(f, { respCode: '06', respMsg: '系统繁忙，请稍后再试[0600000]' });
    const refused =
      checkFields(f, REQUIRED, ctx.clock, { txnTimeIsNow: true }) ??
      checkSignature(f, ctx.merchants) ??
      (f.txnType !== '76' ||
      f.txnSubType !== '01' ||
      f.bizType !== '000000' ||
      f.fileType !== '00' ||
      !/^\d{4}$/.test(f.settleDate!)
        ? { respCode: '10', respMsg: '报文格式错误：txnType/txnSubType/bizType/fileType/settleDate[1000010]' }
        : null);
    if (refused) return answer(f, refused);
    await ctx.ledger.settleDue();
    // The file of today's settleDate is made after the day's cut-off: asking earlier finds none.
    if (f.settleDate === beijingCompact(ctx.clock.now()).slice(4, 8))
      return answer(f, { respCode: '98', respMsg: '文件不存在[9800000]' });
    const txns = (await store.list<TxnRecord>('txn')).filter(
      (t) => t.merId === f.merId && t.settleDate === f.settleDate && (t.status === 'paid' || t.status === 'succeeded'),
    );
    const byQueryId = new Map(
      txns.concat(await store.find<TxnRecord>('txn', { type: 'consume' })).map((t) => [t.queryId, t]),
    );
    const lines = txns.map((t) => zmLine(zmValues(t, t.origQryId ? byQueryId.get(t.origQryId) : undefined)));
    const day = `${settleYear(f.settleDate!, ctx.clock.now())}${f.settleDate}`;
    return answer(f, {
      respCode: '00',
      respMsg: '成功[0000000]',
      ...settlementZip(f.merId!, day, lines, ctx.clock.now()),
    });
  });
}
