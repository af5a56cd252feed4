import { createPrivateKey } from 'node:crypto';
import type { Hono } from 'hono';
import type { UnionpayCredentials } from '../../src/config.ts';
import {
  mountControls,
  newSandboxApp,
  type Sandbox,
  type SandboxControls,
  type SandboxDeps,
} from '../shared/sandbox.ts';
import { createRecordStore } from '../shared/store.ts';
import { mountBack } from './back.routes.ts';
import { mountApp } from './app.routes.ts';
import type { GatewayContext } from './context.ts';
import { FILE_HOST_PATH, mountFileTransfer } from './file.routes.ts';
import { mountFront } from './front.routes.ts';
import { registry } from './gateway-request.ts';
import { loadUnionpayKeys } from './keys.ts';
import { createLedger, PROVIDER, type Ledger } from './ledger.ts';
import { unionpayNotifyProtocol } from './notify.ts';
import type { TxnRecord } from './records.ts';

/** An accepted refund settles by itself after this long (divided by timeScale), unless a control settles it first. */
export const REFUND_SETTLE_MS = 10_000;

/**
 * UnionPay ACP 5.1.0's online gateway, mounted at `/sandbox/unionpay`: frontTransReq.do with a hosted
 * test cashier, backTransReq.do, queryTrans.do, signed backUrl notifications, and `/_control/*`.
 */
export async function createUnionpaySandbox(
  deps: SandboxDeps,
  opts: { timeScale?: number } = {},
): Promise<Sandbox<UnionpayCredentials>> {
  const timeScale = opts.timeScale ?? 1;
  const keys = await loadUnionpayKeys(deps.db, deps.clock);
  const gatewayKey = createPrivateKey(keys.gatewayKey);
  const { app, faults } = newSandboxApp();
  const refundSettleMs = REFUND_SETTLE_MS / timeScale;
  const store = createRecordStore(deps.db, deps.clock, PROVIDER);
  const ledger = createLedger({
    store,
    notifier: deps.notifier,
    clock: deps.clock,
    log: deps.log,
    refundSettleMs,
  });
  deps.notifier.register(PROVIDER, unionpayNotifyProtocol(keys.gatewayCert, gatewayKey), faults);
  const base = `${deps.publicUrl}/sandbox/unionpay`;
  const ctx: GatewayContext = {
    ledger,
    merchants: registry(keys.merId, keys.merchantCert),
    clock: deps.clock,
    faults,
    gatewayCert: keys.gatewayCert,
    gatewayKey,
    base,
  };

  // Refunds also settle on every read; this timer only makes them settle on time when nobody asks.
  const settleSoon = () => {
    setTimeout(
      () =>
        void ledger.settleDue().catch((err) => deps.log.debug({ err: String(err) }, 'unionpay sandbox settle skipped')),
      refundSettleMs + 50,
    ).unref();
  };
  app.use('/gateway/api/backTransReq.do', async (_c, next) => {
    await next();
    settleSoon();
  });
  mountFront(app, ctx);
  mountApp(app, ctx);
  mountBack(app, ctx);
  mountFileTransfer(app, ctx, store);
  mountStrictControls(app, ledger, keys.merId);
  mountControls(app, faults, deps.notifier, unionpayControls(ledger, keys.merId));

  return {
    provider: PROVIDER,
    app,
    faults,
    credentials: {
      merId: keys.merId,
      signKey: keys.merchantKey,
      signCert: keys.merchantCert,
      rootCert: keys.rootCert,
      middleCert: keys.middleCert,
      gateway: base,
      fileUrl: `${base}${FILE_HOST_PATH}`,
    },
  };
}

const ORDER_ID = /^[0-9A-Za-z]{8,40}$/;

/**
 * The UnionPay controls that name a transaction, registered before the shared ones so they answer first:
 * 400 for a number that cannot be an orderId or an unknown outcome, 404 for one the gateway never saw.
 */
function mountStrictControls(app: Hono, ledger: Ledger, merId: string): void {
  const refuse = (status: 400 | 404 | 409, error: string, message: string) =>
    Response.json({ error, message }, { status });
  const named = async (no: string, want: 'consume' | 'back') => {
    if (!ORDER_ID.test(no)) return refuse(400, 'invalid_order_id', 'an orderId is 8–40 letters or digits');
    const t = await ledger.latest(merId, no);
    if (!t || (want === 'consume') !== (t.type === 'consume'))
      return refuse(404, 'not_found', `no ${want === 'consume' ? 'consume' : 'refund'} ${no} has reached the gateway`);
    return t;
  };
  for (const action of ['pay', 'fail'] as const) {
    app.post(`/_control/${action}/:paymentNo`, async (c) => {
      const t = await named(c.req.param('paymentNo'), 'consume');
      if (t instanceof Response) return t;
      const done = await (action === 'pay' ? ledger.pay(t) : ledger.fail(t));
      if (!done.ok) return refuse(409, done.resp.respCode, done.resp.respMsg);
      return Response.json({ ...done.value, refunds: await ledger.refundsOf(done.value) });
    });
  }
  app.post('/_control/refunds/:refundNo', async (c) => {
    const body = (await c.req.json().catch(() => null)) as { outcome?: unknown } | null;
    const outcome = body?.outcome ?? 'succeeded';
    if (outcome !== 'succeeded' && outcome !== 'failed')
      return refuse(400, 'invalid_outcome', 'outcome is succeeded or failed');
    const t = await named(c.req.param('refundNo'), 'back');
    if (t instanceof Response) return t;
    return Response.json(await ledger.settle(t, outcome));
  });
}

function unionpayControls(ledger: Ledger, merId: string): SandboxControls {
  const consume = async (orderId: string) => {
    const t = await ledger.latest(merId, orderId);
    return t?.type === 'consume' ? t : undefined;
  };
  const view = async (t: TxnRecord | undefined) => {
    if (!t) return undefined;
    return { ...t, refunds: t.type === 'consume' ? await ledger.refundsOf(t) : [] };
  };
  const noConsume = (orderId: string) => ({
    error: 'not_found',
    message: `no consume ${orderId} has reached the gateway (submit the form first)`,
  });
  return {
    async pay(paymentNo) {
      const t = await consume(paymentNo);
      if (!t) return noConsume(paymentNo);
      const paid = await ledger.pay(t);
      return paid.ok ? view(paid.value) : { error: paid.resp.respCode, message: paid.resp.respMsg };
    },
    async fail(paymentNo) {
      const t = await consume(paymentNo);
      if (!t) return noConsume(paymentNo);
      const failed = await ledger.fail(t);
      return failed.ok ? view(failed.value) : { error: failed.resp.respCode, message: failed.resp.respMsg };
    },
    async trade(paymentNo) {
      await ledger.settleDue();
      return view(await consume(paymentNo));
    },
    async settleRefund(refundNo, outcome) {
      const t = await ledger.latest(merId, refundNo);
      if (!t || t.type === 'consume') return { error: 'not_found', message: `no refund ${refundNo}` };
      return ledger.settle(t, outcome);
    },
  };
}
