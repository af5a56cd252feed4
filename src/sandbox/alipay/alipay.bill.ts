import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { beijingDateTime, type Clock } from '../../lib/clock.ts';
import { toYuanString } from '../../lib/money.ts';
import type { RecordStore } from '../shared/store.ts';
import { business, invalidParameter, success, type ApiResult } from './alipay.errors.ts';
import type { SandboxTrade } from './alipay.trades.ts';

/**
 * `alipay.data.dataservice.bill.downloadurl.query` and the file it points at. Alipay serves a zip of GBK
 * CSVs ("业务明细" and "汇总"); this sandbox serves the 业务明细 CSV alone, UTF-8 and unzipped, with the same
 * `#` preamble, header row and columns (docs/operations.md says why). Built from the sandbox's own trades.
 */
export const BILL_COLUMNS = [
  '支付宝交易号', '商户订单号', '业务类型', '商品名称', '创建时间', '完成时间', '门店编号', '门店名称', '操作员', '终端号', '对方账户',
  '订单金额（元）', '商家实收（元）', '支付宝红包（元）', '集分宝（元）', '支付宝优惠（元）', '商家优惠（元）', '券核销金额（元）', '券名称',
  '商家红包消费金额（元）', '卡消费金额（元）', '退款批次号/请求号', '服务费（元）', '分润（元）', '备注',
];

/** A day's bill exists once the day is over in Beijing (Alipay makes it the next morning; the sandbox at midnight). */
const isClosedDay = (date: string, now: Date) => /^\d{4}-\d{2}-\d{2}$/.test(date) && date < beijingDateTime(now).slice(0, 10);

export function createAlipayBill(deps: { store: RecordStore; clock: Clock; appId: string; secret: string; baseUrl: string }) {
  const token = (date: string) => createHash('sha256').update(`${deps.secret}:${deps.appId}:${date}`).digest('hex').slice(0, 32);

  function downloadUrlQuery(biz: Record<string, unknown>): ApiResult {
    if (biz.bill_type !== 'trade') return invalidParameter('bill_type');
    const date = typeof biz.bill_date === 'string' ? biz.bill_date : '';
    if (!/^\d{4}-\d{2}(-\d{2})?$/.test(date)) return invalidParameter('bill_date');
    if (!isClosedDay(date, deps.clock.now())) return business('isp.bill_not_exist', '账单不存在');
    return success({ bill_download_url: `${deps.baseUrl}/bill/download?bill_date=${date}&token=${token(date)}` });
  }

  async function csv(date: string): Promise<string> {
    const rows: string[][] = [];
    const blank = () => BILL_COLUMNS.map(() => '');
    let paid = 0;
    let refunded = 0;
    for (const t of await deps.store.list<SandboxTrade>('trade')) {
      if (t.gmtPayment?.startsWith(date)) {
        const r = blank();
        Object.assign(r, { 0: t.tradeNo, 1: t.outTradeNo, 2: '交易', 3: t.subject.replace(/[,\r\n]/g, ' '), 4: t.gmtCreate, 5: t.gmtPayment, 10: t.buyerLogonId ?? '' });
        r[11] = r[12] = toYuanString(t.totalFen);
        rows.push(r);
        paid += t.totalFen;
      }
      for (const f of t.refunds.filter((x) => x.gmtRefund.startsWith(date))) {
        const r = blank();
        Object.assign(r, { 0: t.tradeNo, 1: t.outTradeNo, 2: '退款', 3: t.subject.replace(/[,\r\n]/g, ' '), 4: t.gmtCreate, 5: f.gmtRefund, 21: f.outRequestNo });
        r[11] = r[12] = `-${toYuanString(f.amountFen)}`;
        rows.push(r);
        refunded += f.amountFen;
      }
    }
    return [
      '#支付宝业务明细查询',
      `#账号：[${deps.appId}]`,
      `#起始日期：[${date} 00:00:00]   终止日期：[${date} 23:59:59]`,
      '#-----------------------------------------业务明细列表----------------------------------------',
      BILL_COLUMNS.join(','),
      ...rows.map((r) => r.join(',')),
      '#-----------------------------------------业务明细列表结束------------------------------------',
      `#交易合计：${rows.filter((r) => r[2] === '交易').length}笔，商家实收共${toYuanString(paid)}元`,
      `#退款合计：${rows.filter((r) => r[2] === '退款').length}笔，商家实收共-${toYuanString(refunded)}元`,
      `#导出时间：[${beijingDateTime(deps.clock.now())}]`,
      '',
    ].join('\r\n');
  }

  /** The download URL Alipay hands out: unauthenticated but unguessable, as Alipay's are (they also expire after 30 s). */
  function mount(app: Hono): void {
    app.get('/bill/download', async (c) => {
      const date = c.req.query('bill_date') ?? '';
      if (!isClosedDay(date, deps.clock.now()) || c.req.query('token') !== token(date)) return c.text('bill not found', 404);
      return new Response(await csv(date), { headers: { 'content-type': 'text/csv;charset=utf-8' } });
    });
  }

  return { downloadUrlQuery, mount };
}
