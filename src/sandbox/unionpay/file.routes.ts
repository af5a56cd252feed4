import { deflateSync } from 'node:zlib';
import type { Hono } from 'hono';
import { beijingCompact } from '../../lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import type { GatewayContext } from './context.ts';
import { checkFields, checkSignature, formFields } from './gateway-request.ts';
import type { TxnRecord } from './records.ts';
import { rawBody, signAsGateway, type Fields } from './wire.ts';

const REQUIRED = ['version', 'encoding', 'signMethod', 'certId', 'signature', 'txnType', 'txnSubType', 'bizType', 'accessType', 'merId', 'settleDate', 'txnTime', 'fileType'] as const;
const ECHO = ['version', 'encoding', 'bizType', 'txnType', 'txnSubType', 'accessType', 'merId', 'txnTime', 'settleDate', 'fileType'];
/** The line format of the sandbox's settlement file (docs/operations.md): one successful transaction a line. */
export const FILE_HEADER = '#txnType|orderId|txnTime|queryId|origOrderId|origQryId|txnAmt|settleDate|traceNo|traceTime';
const TXN_TYPE = { consume: '01', refund: '04', undo: '31' } as const;

/**
 * fileTransfer.do (txnType 76, fileType 00): the merchant's settlement file of one settleDate (MMDD),
 * deflated and base64'd into `fileContent`, in a signed answer like every other. UnionPay's real file is a
 * zip of fixed-width INN…ACOMN files; the sandbox deflates one `|`-separated text file instead.
 */
export function mountFileTransfer(app: Hono, ctx: GatewayContext, store: RecordStore): void {
  const answer = (request: Fields, extra: Fields) => {
    const echoed: Fields = {};
    for (const k of ECHO) if (request[k]) echoed[k] = request[k];
    return new Response(rawBody(signAsGateway({ ...echoed, ...extra }, ctx.gatewayCert, ctx.gatewayKey)), { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  };

  app.post('/gateway/api/fileTransfer.do', async (c) => {
    const fault = ctx.faults.takeCallFault('fileTransfer');
    const f = formFields(await c.req.text());
    if (fault === 'error') return answer(f, { respCode: '06', respMsg: '系统繁忙，请稍后再试[0600000]' });
    const refused =
      checkFields(f, REQUIRED, ctx.clock, { txnTimeIsNow: true }) ??
      checkSignature(f, ctx.merchants) ??
      (f.txnType !== '76' || f.txnSubType !== '01' || f.bizType !== '000000' || f.fileType !== '00' || !/^\d{4}$/.test(f.settleDate!)
        ? { respCode: '10', respMsg: '报文格式错误：txnType/txnSubType/bizType/fileType/settleDate[1000010]' }
        : null);
    if (refused) return answer(f, refused);
    await ctx.ledger.settleDue();
    // The file of today's settleDate is made after the day's cut-off: asking earlier finds none.
    if (f.settleDate === beijingCompact(ctx.clock.now()).slice(4, 8)) return answer(f, { respCode: '98', respMsg: '文件不存在[9800000]' });
    const txns = (await store.list<TxnRecord>('txn')).filter((t) => t.merId === f.merId && t.settleDate === f.settleDate && (t.status === 'paid' || t.status === 'succeeded'));
    const byQueryId = new Map(txns.concat(await store.find<TxnRecord>('txn', { type: 'consume' })).map((t) => [t.queryId, t]));
    const lines = txns.map((t) => {
      const orig = t.origQryId ? byQueryId.get(t.origQryId) : undefined;
      return [TXN_TYPE[t.type], t.orderId, t.txnTime, t.queryId, orig?.orderId ?? '', t.origQryId ?? '', t.txnAmt, t.settleDate, t.traceNo ?? '', t.traceTime ?? ''].join('|');
    });
    const file = [FILE_HEADER, ...lines, ''].join('\r\n');
    return answer(f, {
      respCode: '00', respMsg: '成功[0000000]',
      fileName: `INN${f.settleDate}01ACOMN_${f.merId}`,
      fileContent: deflateSync(Buffer.from(file, 'utf8')).toString('base64'),
    });
  });
}
