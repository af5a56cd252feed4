import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import { wireTime, type RefundRecord, type TradeRecord } from './records.ts';
import type { WireError } from './trades.ts';

/** Columns of the `ALL` trade bill (交易账单), in WeChat's order; every value goes out with a leading backtick. */
export const TRADE_BILL_COLUMNS = [
  '交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类',
  '应结订单金额', '代金券金额', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费',
  '费率', '订单金额', '申请退款金额', '费率备注',
];
const SUMMARY_COLUMNS = ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'];

const yuan = (fen: number) => `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
/** `2026-11-25T20:00:00+08:00` → `2026-11-25 20:00:00` (the bill's Beijing time). */
const billTime = (rfc3339: string) => rfc3339.slice(0, 19).replace('T', ' ');
const today = (clock: Clock) => wireTime(clock.now()).slice(0, 10);

/**
 * `GET /v3/bill/tradebill` and the file behind its `download_url`, built from the sandbox's own trades and
 * refunds. The day's bill exists once the Beijing day is over (WeChat: from 10:00 the next day).
 */
export function createTradeBill(deps: { store: RecordStore; clock: Clock; secret: string; baseUrl: string; settleDue: () => Promise<void> }) {
  const token = (mchid: string, date: string) => createHash('sha256').update(`${deps.secret}:${mchid}:${date}`).digest('hex').slice(0, 40);

  async function file(mchid: string, date: string): Promise<{ text: string; count: number }> {
    await deps.settleDue();
    const rows: string[][] = [];
    let paid = 0;
    let refunded = 0;
    const trades = (await deps.store.list<TradeRecord>('trade')).filter((t) => t.mchid === mchid);
    for (const t of trades.filter((x) => x.success_time?.startsWith(date))) {
      rows.push(row(t, { 0: billTime(t.success_time!), 9: 'SUCCESS', 12: yuan(t.total), 24: yuan(t.total) }));
      paid += t.total;
    }
    const refunds = (await deps.store.list<RefundRecord>('refund')).filter((r) => r.mchid === mchid && r.status === 'SUCCESS' && r.success_time?.startsWith(date));
    for (const r of refunds) {
      const t = trades.find((x) => x.out_trade_no === r.out_trade_no);
      if (!t) continue;
      rows.push(row(t, { 0: billTime(r.success_time!), 9: 'REFUND', 12: '0.00', 14: r.refund_id, 15: r.out_refund_no, 16: yuan(r.refund), 17: '0.00', 18: 'ORIGINAL', 19: 'SUCCESS', 24: yuan(t.total), 25: yuan(r.refund) }));
      refunded += r.refund;
    }
    const tick = (values: string[]) => values.map((v) => `\`${v}`).join(',');
    const text = [
      TRADE_BILL_COLUMNS.join(','),
      ...rows.map(tick),
      SUMMARY_COLUMNS.join(','),
      tick([String(rows.length), yuan(paid), yuan(refunded), '0.00', '0.00000', yuan(paid), yuan(refunded)]),
      '',
    ].join('\r\n');
    return { text, count: rows.length };
  }

  function row(t: TradeRecord, set: Record<number, string>): string[] {
    const r = TRADE_BILL_COLUMNS.map(() => '');
    Object.assign(r, { 1: t.appid, 2: t.mchid, 5: t.transaction_id ?? '', 6: t.out_trade_no, 7: `o-sandbox-${t.mchid}`, 8: t.trade_type, 10: 'OTHERS', 11: 'CNY', 13: '0.00', 20: t.description.replace(/[,`\r\n]/g, ' '), 21: t.attach ?? '', 22: '0.00000', 23: '0.60%' }, set);
    return r;
  }

  type Answer = { status: 200; body: Record<string, unknown> } | { error: WireError };

  /** `?bill_date=YYYY-MM-DD&bill_type=ALL|SUCCESS|REFUND` → hash and download URL. */
  async function tradeBill(mchid: string, query: URLSearchParams): Promise<Answer> {
    const date = query.get('bill_date') ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return { error: { status: 400, code: 'PARAM_ERROR', message: 'bill_date 格式错误' } };
    if ((query.get('bill_type') ?? 'ALL') !== 'ALL') return { error: { status: 400, code: 'PARAM_ERROR', message: 'the sandbox serves bill_type ALL only' } };
    if (date >= today(deps.clock)) return { error: { status: 400, code: 'STATEMENT_CREATING', message: '账单生成中' } };
    const { text, count } = await file(mchid, date);
    // A day without a single trade has no bill at all (§7-style: WeChat answers NO_STATEMENT_EXIST).
    if (count === 0) return { error: { status: 400, code: 'NO_STATEMENT_EXIST', message: '账单文件不存在' } };
    return {
      status: 200,
      body: {
        hash_type: 'SHA1',
        hash_value: createHash('sha1').update(text, 'utf8').digest('hex'),
        download_url: `${deps.baseUrl}/v3/billdownload/file?token=${token(mchid, date)}&bill_date=${date}`,
      },
    };
  }

  /** The file itself: authenticated like every /v3 call, but answered unsigned (WeChat signs no bill download). */
  async function download(mchid: string, query: URLSearchParams): Promise<Response> {
    const date = query.get('bill_date') ?? '';
    if (query.get('token') !== token(mchid, date)) return Response.json({ code: 'RESOURCE_NOT_EXISTS', message: '账单不存在' }, { status: 404 });
    return new Response((await file(mchid, date)).text, { headers: { 'content-type': 'text/plain;charset=utf-8' } });
  }

  return { tradeBill, download };
}

export type TradeBill = ReturnType<typeof createTradeBill>;
