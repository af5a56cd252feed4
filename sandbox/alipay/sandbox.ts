import type { AlipayCredentials } from '../../src/config.ts';
import { mountControls, newSandboxApp, type Sandbox, type SandboxDeps } from '../shared/sandbox.ts';
import { createRecordStore } from '../shared/store.ts';
import { createAlipayApis } from './api.ts';
import { createAlipayBill } from './bill.ts';
import { createBuyerActions } from './buyer.ts';
import { mountCashier } from './cashier.ts';
import { mountGateway } from './gateway.ts';
import { loadAlipayKeys } from './keys.ts';
import { alipayNotifyProtocol } from './notify.ts';
import type { SandboxTrade } from './trades.ts';

/**
 * Alipay's side of OpenAPI v2 (PROTOCOLS §1), mounted at `${publicUrl}/sandbox/alipay`: gateway.do, the
 * hosted cashier, signed notifications, scripted controls (docs/sandbox/alipay.md).
 */
export async function createAlipaySandbox(
  deps: SandboxDeps,
  opts: { timeScale?: number } = {},
): Promise<Sandbox<AlipayCredentials>> {
  const base = `${deps.publicUrl}/sandbox/alipay`;
  const keys = await loadAlipayKeys(deps.db);
  const store = createRecordStore(deps.db, deps.clock, 'alipay');
  const { app, faults } = newSandboxApp();
  deps.notifier.register('alipay', alipayNotifyProtocol(keys.alipayPrivateKey), faults);

  const notifyFaults = { badSignature: 0 };
  const apis = createAlipayApis({
    store,
    notifier: deps.notifier,
    clock: deps.clock,
    keys,
    baseUrl: base,
    timeScale: opts.timeScale ?? 1,
    notifyFaults,
  });
  const buyer = createBuyerActions(apis, deps.clock, keys);
  const bill = createAlipayBill({
    store,
    clock: deps.clock,
    appId: keys.appId,
    sellerId: keys.sellerId,
    secret: keys.alipayPrivateKey,
    baseUrl: base,
  });
  mountGateway(app, { apis, faults, clock: deps.clock, keys, base, bill });
  bill.mount(app);
  mountCashier(app, base, store, buyer, keys);

  const outcome = (r: Awaited<ReturnType<typeof buyer.pay>>) =>
    r.ok ? { ok: true, trade: r.trade } : { ok: false, error: r.error };
  mountControls(app, faults, deps.notifier, {
    pay: async (no) => outcome(await buyer.pay(no)),
    fail: async (no) => outcome(await buyer.fail(no)),
    trade: (no) => store.get<SandboxTrade>('trade', no),
  });
  // Alipay-only controls: the refund window ends (TRADE_FINISHED, notified); badly signed notifications.
  app.post('/_control/finish/:paymentNo', async (c) =>
    Response.json(outcome(await buyer.finish(c.req.param('paymentNo')))),
  );
  app.post('/_control/notify-faults', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as { badSignature?: number };
    notifyFaults.badSignature = Math.max(0, Math.floor(body.badSignature ?? 0));
    return Response.json({ ok: true, ...notifyFaults });
  });

  return {
    provider: 'alipay',
    app,
    faults,
    credentials: {
      appId: keys.appId,
      privateKey: keys.appPrivateKey,
      alipayPublicKey: keys.alipayPublicKey,
      gateway: `${base}/gateway.do`,
      sellerId: keys.sellerId,
    },
  };
}
