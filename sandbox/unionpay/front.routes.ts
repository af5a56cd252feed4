import type { Hono } from 'hono';
import { RESP, type Resp } from './codes.ts';
import type { GatewayContext } from './context.ts';
import { checkConsumeTxnTime, checkFields, checkSignature, formFields } from './gateway-request.ts';
import { cashierPage, messagePage, returnForm } from './cashier.page.ts';
import { cashierLang } from '../shared/cashier-lang.ts';
import { cashierWords } from '../shared/cashier-text.ts';
import { newQueryId, parseBeijingCompact, resultFields, type TxnRecord } from './records.ts';
import { signAsGateway } from './wire.ts';

export const CONSUME_REQUIRED = [
  'version',
  'encoding',
  'signMethod',
  'certId',
  'signature',
  'txnType',
  'txnSubType',
  'bizType',
  'channelType',
  'accessType',
  'merId',
  'orderId',
  'txnTime',
  'txnAmt',
  'currencyCode',
  'backUrl',
  'frontUrl',
] as const;

const html = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/html;charset=UTF-8' } });
/** Front requests come from a browser: errors are a page, as on the real gateway. */
const errorPage = (r: Resp, status = 400) =>
  html(messagePage('Transaction refused', `${r.respCode} ${r.respMsg}`), status);

/** frontTransReq.do (browser consume) and the hosted test cashier it leads to. */
export function mountFront(app: Hono, ctx: GatewayContext): void {
  const sign = (fields: Record<string, string>) => signAsGateway(fields, ctx.gatewayCert, ctx.gatewayKey);

  app.post('/gateway/api/frontTransReq.do', async (c) => {
    const fault = ctx.faults.takeCallFault('frontTransReq');
    if (fault === 'error') return errorPage(RESP.busy, 200);
    const f = formFields(await c.req.text());
    const refused =
      checkFields(f, CONSUME_REQUIRED, ctx.clock, { txnTimeIsNow: true }) ??
      checkConsumeTxnTime(f, ctx.clock) ??
      checkSignature(f, ctx.merchants) ??
      (f.txnType !== '01' || f.txnSubType !== '01' || f.bizType !== '000201'
        ? RESP.format('txnType/txnSubType/bizType不支持')
        : null);
    if (refused) return errorPage(refused);
    const payBy = f.payTimeout ? parseBeijingCompact(f.payTimeout) : null;
    if (f.payTimeout && (!payBy || payBy <= ctx.clock.now())) return errorPage(RESP.format('payTimeout无效'));
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
      frontUrl: f.frontUrl!,
      createdAt: now.toISOString(),
      ...(payBy ? { payBy: payBy.toISOString() } : {}),
      ...(f.reqReserved ? { reqReserved: f.reqReserved } : {}),
    });
    if (!opened.ok) return errorPage(opened.resp);
    if (fault === 'timeout') return new Response('<html><body>504 Gateway Time-out</body></html>', { status: 504 });
    return c.redirect(`${ctx.base}/cashier/${opened.value.queryId}`, 303);
  });

  async function awaiting(queryId: string): Promise<TxnRecord | undefined> {
    const t = await ctx.ledger.byQueryId(queryId);
    return t?.type === 'consume' ? t : undefined;
  }

  // The cashier speaks the browser's language (sandbox/shared/cashier-lang.ts); the gateway's refusals stay English.
  const notFound = (w: ReturnType<typeof cashierWords>) =>
    html(
      messagePage(
        w.t((m) => m.notFound),
        w.t((m) => m.noSuchPayment),
        '',
        w,
      ),
      404,
    );

  app.get('/cashier/:queryId', async (c) => {
    const w = cashierWords(cashierLang(c));
    const t = await awaiting(c.req.param('queryId'));
    if (!t) return notFound(w);
    // After a failure the cashier still takes a card until payTimeout (pay() refuses it afterwards).
    if (t.status !== 'awaiting' && t.status !== 'failed')
      return html(
        messagePage(
          w.t((m) => m.unionpayAlreadySettled),
          w.t((m) => m.unionpaySettledText, { status: w.state((m) => m.unionpayStates, t.status) }),
          '',
          w,
        ),
      );
    return html(cashierPage(t, `${ctx.base}/cashier/${t.queryId}`, w));
  });

  app.post('/cashier/:queryId/pay', async (c) => {
    const w = cashierWords(cashierLang(c));
    const t = await awaiting(c.req.param('queryId'));
    if (!t) return notFound(w);
    const paid = await ctx.ledger.pay(t);
    if (!paid.ok) return errorPage(paid.resp, 409);
    return html(
      returnForm(
        w.t((m) => m.unionpaySucceeded),
        paid.value.frontUrl!,
        sign(resultFields(paid.value, RESP.ok)),
        true,
        w,
      ),
    );
  });

  app.post('/cashier/:queryId/fail', async (c) => {
    const w = cashierWords(cashierLang(c));
    const t = await awaiting(c.req.param('queryId'));
    if (!t) return notFound(w);
    const failed = await ctx.ledger.fail(t);
    if (!failed.ok) return errorPage(failed.resp, 409);
    return html(
      returnForm(
        w.t((m) => m.unionpayFailed),
        failed.value.frontUrl!,
        sign(resultFields(failed.value, RESP.failed)),
        false,
        w,
      ),
    );
  });
}
