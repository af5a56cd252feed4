import { z } from 'zod';
import type { WechatpayCredentials } from '../../src/config.ts';
import { mountControls, newSandboxApp, type Sandbox, type SandboxDeps } from '../shared/sandbox.ts';
import { createRecordStore, loadOrCreateKeys } from '../shared/store.ts';
import { generateWechatApps, whoseOpenid, type WechatAppKeys } from './apps.ts';
import { createBills } from './bill.ts';
import { clientRoutes } from './clients.ts';
import { inAppBrowserRoutes } from './in-app-browser.ts';
import { oauthRoutes } from './oauth.ts';
import { cashierRoutes } from './cashier.ts';
import { controlRoutes } from './controls.ts';
import { createGatewayCrypto } from './crypto.ts';
import { generateWechatpayKeys, type WechatpaySandboxKeys } from './keys.ts';
import { notification, PROVIDER, wechatpayNotifyProtocol } from './notify.ts';
import { refundView, tradeKey, transactionView } from './records.ts';
import { createPlatform, type MerchantState } from './platform.ts';
import { v3Routes } from './routes.ts';
import { createTradeBook } from './trades.ts';

/** A basic-account movement no trade explains, for `POST /_control/fund-entries` (docs/sandbox/wechatpay.md). */
const fundEntrySchema = z.object({
  wechatNo: z.string().regex(/^\w{1,64}$/),
  business: z.string().min(1).max(32),
  direction: z.enum(['income', 'expense']),
  amount: z.number().int().positive(),
  voucherNo: z.string().max(64).default(''),
  note: z.string().max(128).default(''),
  account: z.enum(['BASIC', 'OPERATION', 'FEES']).default('BASIC'),
});

export interface WechatpaySandboxOptions {
  /** Divides the sandbox's own delays (the refund settlement); the notifier scales its retries itself. */
  timeScale?: number;
  /** Unscaled time a refund stays PROCESSING before it succeeds by itself (default 60 s). */
  refundDelayMs?: number;
  /** docs/protocols/wechatpay.md#refund-rules: at most 50 refunds per order, within a year of payment. */
  maxRefundsPerTrade?: number;
  refundWindowMs?: number;
  /** The merchant's verification state (platform.ts); default: as stored, else public key only. */
  merchantState?: MerchantState;
  /** Picks a migrating merchant's notification key (< 0.5: public key); default random. */
  random?: () => number;
}

/**
 * WeChat Pay API v3 as a merchant sees it, at `${publicUrl}/sandbox/wechatpay`: the `/v3` gateway, a hosted
 * cashier, signed and encrypted notifications with WeChat's retry schedule, and `/_control` hooks.
 */
export async function createWechatpaySandbox(
  deps: SandboxDeps,
  opts: WechatpaySandboxOptions = {},
): Promise<Sandbox<WechatpayCredentials>> {
  const keys = await loadOrCreateKeys<WechatpaySandboxKeys>(deps.db, 'wechatpay', generateWechatpayKeys);
  // Kept apart from the merchant keys, so a sandbox started before issue 15 keeps its keys and gains apps.
  const apps = await loadOrCreateKeys<WechatAppKeys>(deps.db, 'wechatpay-apps', generateWechatApps);
  const baseUrl = `${deps.publicUrl}/sandbox/wechatpay`;
  const { app, faults } = newSandboxApp();
  const platform = await createPlatform({
    store: createRecordStore(deps.db, deps.clock, PROVIDER),
    clock: deps.clock,
    keys,
    ...(opts.merchantState ? { initial: opts.merchantState } : {}),
    ...(opts.random ? { random: opts.random } : {}),
  });
  const crypto = createGatewayCrypto(keys, platform);
  const protocol = wechatpayNotifyProtocol(crypto);
  deps.notifier.register(PROVIDER, protocol, faults);

  const log = deps.log.child({ sandbox: PROVIDER });
  const refundDelayMs = (opts.refundDelayMs ?? 60_000) / (opts.timeScale ?? 1);
  const book = createTradeBook({
    store: createRecordStore(deps.db, deps.clock, PROVIDER),
    notifier: deps.notifier,
    clock: deps.clock,
    appIds: [keys.appId, apps.oa.appId, apps.mini.appId, apps.app.appId],
    openidBelongs: (openid, appId) => whoseOpenid(apps, openid)?.appId === appId,
    refundDelayMs,
    maxRefundsPerTrade: opts.maxRefundsPerTrade ?? 50,
    refundWindowMs: opts.refundWindowMs ?? 365 * 24 * 3600_000,
    onBackgroundError: (err) => log.warn({ err: String(err) }, 'refund settlement failed'),
  });
  // Refunds left PROCESSING by an earlier run settle now if due, else when read.
  await book.settleDue();

  const bill = createBills({
    store: createRecordStore(deps.db, deps.clock, PROVIDER),
    clock: deps.clock,
    secret: keys.apiV3Key,
    baseUrl,
    settleDue: () => book.settleDue(),
  });
  app.route(
    '/',
    v3Routes({
      book,
      crypto,
      clock: deps.clock,
      faults,
      cashierUrl: (prepay) => `${baseUrl}/cashier?pr=${prepay}`,
      bill,
      platform,
    }),
  );
  app.route('/', cashierRoutes(book));
  app.route(
    '/',
    oauthRoutes({
      store: createRecordStore(deps.db, deps.clock, PROVIDER),
      clock: deps.clock,
      apps,
      publicUrl: deps.publicUrl,
    }),
  );
  app.route('/', clientRoutes({ book, apps, merchantPublicKey: keys.merchantPublicKey }));
  app.route('/', inAppBrowserRoutes());

  const key = (paymentNo: string) => tradeKey(keys.mchId, paymentNo);
  const view = (o: { ok: true; value: unknown } | { ok: false; error: unknown }) =>
    o.ok ? o.value : { error: o.error };
  // Validated ahead of the shared ones, which they shadow (Hono takes the first route that matches).
  app.route('/', controlRoutes({ book, platform, mchId: keys.mchId, faults, bill }));
  mountControls(app, faults, deps.notifier, {
    pay: async (no) => view(await book.pay(key(no))),
    fail: async (no) => view(await book.fail(key(no))),
    async trade(no) {
      const t = await book.findTrade(key(no));
      return t ? { transaction: transactionView(t), refunds: (await book.refundsOf(t)).map(refundView) } : undefined;
    },
    settleRefund: async (refundNo, outcome) =>
      view(await book.settleRefund(keys.mchId, refundNo, outcome === 'succeeded' ? 'SUCCESS' : 'CLOSED')),
  });
  // WeChat-only control: a signature probe (docs/protocols/wechatpay.md#signature-probe) sent once, outside the retry
  // schedule.
  app.post('/_control/fund-entries', async (c) => {
    const b = fundEntrySchema.safeParse(await c.req.json().catch(() => null));
    if (!b.success) return c.json({ error: b.error.issues.map((i) => i.message).join('; ') }, 400);
    return c.json(await bill.addFundEntry(keys.mchId, b.data));
  });
  app.post('/_control/probe/:paymentNo', async (c) => {
    const t = await book.findTrade(key(c.req.param('paymentNo')));
    if (!t) return c.json({ error: 'not found' }, 404);
    const req = await protocol.render(
      notification(t.notify_url, 'TRANSACTION.SUCCESS', transactionView(t), deps.clock.now(), true),
      deps.clock.now(),
    );
    const res = await fetch(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(protocol.timeoutMs),
    }).catch(() => null);
    return c.json({ status: res?.status ?? null, body: res ? await res.text() : null });
  });

  return {
    provider: PROVIDER,
    app,
    faults,
    credentials: {
      mchId: keys.mchId,
      appId: keys.appId,
      apiV3Key: keys.apiV3Key,
      privateKey: keys.merchantPrivateKey,
      certSerial: keys.merchantCertSerial,
      // What such a merchant configures: the public key, `download` for certificates, or both (migrating).
      ...(platform.state === 'certificate'
        ? {}
        : { platformPublicKey: keys.platformPublicKey, platformKeyId: keys.platformKeyId }),
      ...(platform.state === 'public_key' ? {} : { platformCerts: [] }),
      baseUrl,
      // The in-app channels' apps, and WeChat's OAuth and API hosts played by this sandbox.
      apps: {
        oa: apps.oa,
        mini: apps.mini,
        app: apps.app,
        oauthBaseUrl: `${baseUrl}/open`,
        apiBaseUrl: `${baseUrl}/api`,
      },
    },
  };
}
