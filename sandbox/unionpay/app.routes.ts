import type { Hono } from 'hono';
import { z } from 'zod';
import { RESP, type Resp } from './codes.ts';
import type { GatewayContext } from './context.ts';
import { CONSUME_REQUIRED } from './front.routes.ts';
import { checkFields, checkSignature, formFields } from './gateway-request.ts';
import { newQueryId, parseBeijingCompact } from './records.ts';
import { rawBody, signAsGateway, type Fields } from './wire.ts';

/** An app consume (ACPSample 手机控件支付): the back-gateway consume without frontUrl, channelType 08. */
const APP_REQUIRED = CONSUME_REQUIRED.filter((f) => f !== 'frontUrl');
const ECHO = ['version', 'encoding', 'bizType', 'txnType', 'txnSubType', 'accessType', 'merId', 'orderId', 'txnTime'];
const payControlSchema = z
  .object({ tn: z.string().regex(/^\d{1,40}$/), outcome: z.enum(['pay', 'fail']).optional() })
  .strict();

/**
 * appTransReq.do (docs/sandbox/unionpay.md#app): an app consume answered with a signed `tn`, and the simulated mobile
 * payment control that takes the tn and pays it (`POST /_control/app-pay`), notifying backUrl like a card paid at the
 * cashier. The sandbox's tn is the consume's queryId; UnionPay's own tn is its own number, and mallpay relies on
 * neither being the other.
 */
export function mountApp(app: Hono, ctx: GatewayContext): void {
  const answer = (request: Fields, resp: Resp, extra: Fields = {}) => {
    const echoed: Fields = {};
    for (const k of ECHO) if (request[k]) echoed[k] = request[k];
    const body = rawBody(signAsGateway({ ...echoed, ...extra, ...resp }, ctx.gatewayCert, ctx.gatewayKey));
    return new Response(body, { headers: { 'content-type': 'text/plain;charset=UTF-8' } });
  };

  app.post('/gateway/api/appTransReq.do', async (c) => {
    const fault = ctx.faults.takeCallFault('appTransReq');
    const f = formFields(await c.req.text());
    if (fault === 'error') return answer(f, RESP.busy);
    const refused =
      checkFields(f, APP_REQUIRED, ctx.clock, { txnTimeIsNow: true }) ??
      checkSignature(f, ctx.merchants) ??
      (f.txnType !== '01' || f.txnSubType !== '01' || f.bizType !== '000201' || f.channelType !== '08'
        ? RESP.format('txnType/txnSubType/bizType/channelType不支持')
        : null);
    if (refused) return answer(f, refused);
    const payBy = f.payTimeout ? parseBeijingCompact(f.payTimeout) : null;
    if (f.payTimeout && (!payBy || payBy <= ctx.clock.now())) return answer(f, RESP.format('payTimeout无效'));
    const now = ctx.clock.now();
    const opened = await ctx.ledger.openConsume({
      type: 'consume',
      merId: f.merId!,
      orderId: f.orderId!,
      txnTime: f.txnTime!,
      txnAmt: f.txnAmt!,
      queryId: newQueryId(now),
      status: 'awaiting',
      backUrl: f.backUrl!,
      createdAt: now.toISOString(),
      ...(payBy ? { payBy: payBy.toISOString() } : {}),
      ...(f.reqReserved ? { reqReserved: f.reqReserved } : {}),
    });
    if (fault === 'timeout') return new Response('<html><body>504 Gateway Time-out</body></html>', { status: 504 });
    if (!opened.ok) return answer(f, opened.resp);
    return answer(f, RESP.ok, { tn: opened.value.queryId });
  });

  app.post('/_control/app-pay', async (c) => {
    const body = payControlSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) return Response.json({ error: 'invalid_body' }, { status: 400 });
    const t = await ctx.ledger.byQueryId(body.data.tn);
    // The control's own answer for a tn it cannot use: pay_result=fail, as startPay's onActivityResult reports.
    if (!t || t.type !== 'consume' || t.frontUrl)
      return Response.json({ pay_result: 'fail', error: 'unknown_tn' }, { status: 404 });
    const done = await (body.data.outcome === 'fail' ? ctx.ledger.fail(t) : ctx.ledger.pay(t));
    if (!done.ok) return Response.json({ pay_result: 'fail', error: done.resp.respCode }, { status: 409 });
    return Response.json({ pay_result: body.data.outcome === 'fail' ? 'fail' : 'success', orderId: t.orderId });
  });
}
