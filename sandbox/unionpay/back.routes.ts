import type { Hono } from 'hono';
import { RESP, type Resp } from './codes.ts';
import type { GatewayContext } from './context.ts';
import { checkFields, checkSignature, formFields } from './gateway-request.ts';
import { newQueryId, type TxnRecord } from './records.ts';
import { rawBody, signAsGateway, type Fields } from './wire.ts';

const BACK_REQUIRED = [
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
  'orderId',
  'txnTime',
  'txnAmt',
  'origQryId',
  'backUrl',
] as const;
const QUERY_REQUIRED = [
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
] as const;
const ECHO = [
  'version',
  'encoding',
  'bizType',
  'txnType',
  'txnSubType',
  'accessType',
  'merId',
  'orderId',
  'txnTime',
  'txnAmt',
  'origQryId',
  'reqReserved',
];

const TXN_TYPE = { consume: '01', refund: '04', undo: '31' } as const;

/** What queryTrans answers about a transaction's own outcome (origRespCode). */
function originalResp(t: TxnRecord): Resp {
  switch (t.status) {
    case 'paid':
    case 'succeeded':
      return RESP.ok;
    case 'processing':
      return RESP.accepted;
    case 'failed':
    case 'awaiting':
      return RESP.failed;
  }
}

/** backTransReq.do (refund 04, undo 31) and queryTrans.do: server calls answered with signed raw `k=v&`. */
export function mountBack(app: Hono, ctx: GatewayContext): void {
  const answer = (request: Fields, resp: Resp, extra: Fields = {}) => {
    const echoed: Fields = {};
    for (const k of ECHO) if (request[k]) echoed[k] = request[k];
    const body = rawBody(signAsGateway({ ...echoed, ...extra, ...resp }, ctx.gatewayCert, ctx.gatewayKey));
    return new Response(body, { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  };
  const timedOut = () =>
    new Response('<html><body>504 Gateway Time-out</body></html>', {
      status: 504,
      headers: { 'content-type': 'text/html' },
    });

  app.post('/gateway/api/backTransReq.do', async (c) => {
    const fault = ctx.faults.takeCallFault('backTransReq');
    const f = formFields(await c.req.text());
    if (fault === 'error') return answer(f, RESP.busy);
    const refused =
      checkFields(f, BACK_REQUIRED, ctx.clock, { txnTimeIsNow: true }) ??
      checkSignature(f, ctx.merchants) ??
      // bizType 000000 is accepted for refund and undo too (ACPSample's 退货/消费撤销 send 000000 or 000201).
      (!['04', '31'].includes(f.txnType!) || f.txnSubType !== '00' || !['000201', '000000'].includes(f.bizType!)
        ? RESP.format('txnType/txnSubType/bizType不支持')
        : null);
    if (refused) return answer(f, refused);
    await ctx.ledger.settleDue();
    const now = ctx.clock.now();
    const opened = await ctx.ledger.openRefund({
      type: f.txnType === '04' ? 'refund' : 'undo',
      merId: f.merId!,
      orderId: f.orderId!,
      txnTime: f.txnTime!,
      txnAmt: f.txnAmt!,
      queryId: newQueryId(now),
      status: 'processing',
      backUrl: f.backUrl!,
      origQryId: f.origQryId!,
      createdAt: now.toISOString(),
      ...(f.reqReserved ? { reqReserved: f.reqReserved } : {}),
    });
    if (fault === 'timeout') return timedOut();
    if (!opened.ok) return answer(f, opened.resp);
    // 00 here means accepted only: the result comes by notification or query (docs/protocols/unionpay.md#refunds).
    return answer(f, RESP.ok, { queryId: opened.value.queryId });
  });

  app.post('/gateway/api/queryTrans.do', async (c) => {
    const fault = ctx.faults.takeCallFault('queryTrans');
    const f = formFields(await c.req.text());
    if (fault === 'error') return answer(f, RESP.busy);
    const refused =
      checkFields(f, QUERY_REQUIRED, ctx.clock, { txnTimeIsNow: false }) ??
      checkSignature(f, ctx.merchants) ??
      (f.txnType !== '00' || f.txnSubType !== '00' ? RESP.format('txnType/txnSubType不支持') : null) ??
      (!f.queryId && !(f.orderId && f.txnTime) ? RESP.missing('orderId+txnTime或queryId') : null);
    if (refused) return answer(f, refused);
    await ctx.ledger.settleDue();
    const t = f.queryId
      ? await ctx.ledger.byQueryId(f.queryId)
      : await ctx.ledger.get(f.merId!, f.orderId!, f.txnTime!);
    if (fault === 'timeout') return timedOut();
    // A consume the cardholder has not completed does not exist for queries yet
    // (docs/protocols/unionpay.md#status-mapping: 34 → pending).
    if (!t || t.merId !== f.merId || t.status === 'awaiting') return answer(f, RESP.notFound);
    const orig = originalResp(t);
    // The answer describes the queried transaction: its own txnType/txnSubType (consume 01/01, refund 04/00).
    const original = { txnType: TXN_TYPE[t.type], txnSubType: t.type === 'consume' ? '01' : '00' };
    return answer({ ...f, orderId: t.orderId, txnTime: t.txnTime, ...original }, RESP.ok, {
      queryId: t.queryId,
      txnAmt: t.txnAmt,
      currencyCode: '156',
      origRespCode: orig.respCode,
      origRespMsg: orig.respMsg,
      ...(t.origQryId ? { origQryId: t.origQryId } : {}),
      ...(t.traceNo
        ? {
            settleAmt: t.txnAmt,
            settleCurrencyCode: '156',
            settleDate: t.settleDate!,
            traceNo: t.traceNo,
            traceTime: t.traceTime!,
            accNo: '6216****0110',
          }
        : {}),
    });
  });
}
