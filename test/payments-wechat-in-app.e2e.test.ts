import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestMall, type TestMall } from './support/mall.ts';

type Channel = 'jsapi' | 'mini' | 'app';

/**
 * WeChat Pay inside WeChat and in apps (issue 15), end to end against the sandbox: the payer's code, the order,
 * the client's parameters, the simulated client that checks their signature and pays, the notification, the
 * refund.
 */
describe('WeChat Pay in-app channels: JSAPI, mini-program and app', () => {
  let t: TestMall;
  beforeAll(async () => {
    t = await startTestMall();
  });
  afterAll(() => t.close());

  const sandbox = async (path: string, body: unknown) => {
    const res = await fetch(`${t.url}/sandbox/wechatpay/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  };
  /** The client's one-time code: the OAuth page's for JSAPI, wx.login's for a mini-program; none for an app. */
  const codeFor = async (channel: Channel, user = 'alice') =>
    channel === 'app'
      ? undefined
      : (await sandbox(`_control/${channel === 'jsapi' ? 'oauth-code' : 'mini-login'}`, { user })).body.code;
  const startPayment = (orderNo: string, channel: Channel, code: string | undefined) =>
    t.call('POST', `/api/orders/${orderNo}/payments`, {
      as: 'customer',
      body: { method: 'wechatpay', channel, ...(code === undefined ? {} : { code }) },
    });
  const paymentsOf = async (orderNo: string) => (await t.order(orderNo)).payments as unknown[];

  it('offers jsapi, mini and app beside qr and h5 when the sandbox serves WeChat Pay', async () => {
    const methods = (await t.call('GET', '/api/payment-methods')).body as { method: string; channels: string[] }[];
    expect(methods.find((m) => m.method === 'wechatpay')?.channels).toEqual(['qr', 'h5', 'jsapi', 'mini', 'app']);
  });

  for (const channel of ['jsapi', 'mini', 'app'] as const) {
    it(`pays and refunds an order through ${channel}: action, simulated client, notification, paid, refunded`, async () => {
      const { orderNo, amount } = await t.placeOrder();
      const res = await startPayment(orderNo, channel, await codeFor(channel));
      expect(res.status).toBe(201);
      const { action, paymentNo } = res.body;
      expect(action.type).toBe(channel);
      if (channel === 'jsapi') expect(action.params.package).toMatch(/^prepay_id=wx/);
      if (channel === 'mini')
        expect(Object.keys(action.params).sort()).toEqual(['nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      if (channel === 'app')
        expect(action.params).toMatchObject({ package: 'Sign=WXPay', partnerid: expect.any(String) });

      const paid = await sandbox(`client/${channel}/pay`, { params: action.params, user: 'alice' });
      expect(paid.status).toBe(200);
      expect(paid.body.result).toBe(
        { jsapi: 'get_brand_wcpay_request:ok', mini: 'requestPayment:ok', app: '0' }[channel],
      );
      await t.settle();
      expect(await t.order(orderNo)).toMatchObject({ status: 'paid', paidAmount: amount });
      const [latest] = await t.notifications('wechatpay');
      expect(latest).toMatchObject({ outcome: 'applied', outTradeNo: paymentNo });
      const trade = (await t.control('wechatpay', `trades/${paymentNo}`)).body.transaction as Record<string, unknown>;
      expect(trade.trade_type).toBe(channel === 'app' ? 'APP' : 'JSAPI');

      const applied = await t.call('POST', `/api/orders/${orderNo}/refunds`, {
        as: 'customer',
        body: { reason: 'changed my mind' },
      });
      await t.call('POST', `/api/admin/refunds/${applied.body.refundNo}/approve`, {
        as: 'support',
        body: { note: 'ok' },
      });
      await t.settle();
      await t.control('wechatpay', `refunds/${applied.body.refundNo}`, { outcome: 'succeeded' });
      await t.settle();
      expect(await t.order(orderNo)).toMatchObject({ status: 'refunded', refundedAmount: amount });
    });

    it(`refuses ${channel} parameters whose signature was tampered with, and nothing is paid`, async () => {
      const { orderNo } = await t.placeOrder();
      const { action, paymentNo } = (await startPayment(orderNo, channel, await codeFor(channel))).body;
      const signField = channel === 'app' ? 'timestamp' : 'timeStamp';
      const forged = { ...action.params, [signField]: String(Number(action.params[signField]) + 1) };
      const res = await sandbox(`client/${channel}/pay`, { params: forged, user: 'alice' });
      expect(res.status).toBe(400);
      expect(res.body.result).toBe(
        { jsapi: 'get_brand_wcpay_request:fail', mini: 'requestPayment:fail', app: '-1' }[channel],
      );
      expect(res.body.desc).toMatch(/签名/);
      await t.settle();
      expect((await t.order(orderNo)).status).toBe('pending_payment');
      const trade = (await t.control('wechatpay', `trades/${paymentNo}`)).body.transaction as Record<string, unknown>;
      expect(trade.trade_state).toBe('NOTPAY');
    });
  }

  for (const channel of ['jsapi', 'mini'] as const) {
    it(`refuses a ${channel} code used twice with 422 payer_code_invalid, and saves no second attempt`, async () => {
      const code = await codeFor(channel);
      const first = await t.placeOrder();
      expect((await startPayment(first.orderNo, channel, code)).status).toBe(201);
      const second = await t.placeOrder();
      const again = await startPayment(second.orderNo, channel, code);
      expect(again.status).toBe(422);
      expect(again.body.error.code).toBe('payer_code_invalid');
      expect(await paymentsOf(second.orderNo)).toEqual([]);
    });

    it(`refuses a ${channel} code older than 5 minutes, and a code of the other app`, async () => {
      const { orderNo } = await t.placeOrder();
      const old = await codeFor(channel);
      t.clock.advance(5 * 60_000 + 1000);
      const expired = await startPayment(orderNo, channel, old);
      expect(expired.status).toBe(422);
      expect(expired.body.error.code).toBe('payer_code_invalid');
      const other = await codeFor(channel === 'jsapi' ? 'mini' : 'jsapi');
      const foreign = await startPayment(orderNo, channel, other);
      expect(foreign.body.error.code).toBe('payer_code_invalid');
      expect(await paymentsOf(orderNo)).toEqual([]);
    });

    it(`asks for the payer's code on ${channel} (422 payer_code_required)`, async () => {
      const { orderNo } = await t.placeOrder();
      const res = await startPayment(orderNo, channel, undefined);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('payer_code_required');
    });
  }

  it('refuses a code sent to a channel that takes none', async () => {
    const { orderNo } = await t.placeOrder();
    const res = await startPayment(orderNo, 'app', 'abc');
    expect(res.status).toBe(422);
    expect(await paymentsOf(orderNo)).toEqual([]);
  });

  it('answers a JSAPI prepay for an openid of another app with PARAM_ERROR, as WeChat does', async () => {
    const creds = t.mall.sandboxes!.credentials.wechatpay!;
    const mini = (await sandbox('_control/mini-login', { user: 'bob' })).body.openid;
    const { createWechatpayProvider } = await import('../src/providers/wechatpay/provider.ts');
    const { silentLogger } = await import('../src/lib/log.ts');
    const provider = createWechatpayProvider(creds, { clock: t.clock, log: silentLogger });
    const r = await provider.createPayment({
      paymentNo: 'P2099TESTOPENID01',
      channel: 'jsapi',
      amount: 100,
      currency: 'CNY',
      createdAt: t.clock.now(),
      subject: 'Order',
      expiresAt: new Date(t.clock.now().getTime() + 600_000),
      notifyUrl: `${t.url}/notify/wechatpay`,
      returnUrl: `${t.url}/return/wechatpay`,
      clientIp: '127.0.0.1',
      payer: { openid: mini! },
    });
    expect(r).toMatchObject({ kind: 'failed', reason: 'PARAM_ERROR', message: 'appid和openid不匹配' });
  });

  it('tells a wrong official-account secret (errcode 40125) from a bad code: unknown, not the payer’s fault', async () => {
    const creds = t.mall.sandboxes!.credentials.wechatpay!;
    const { createWechatpayProvider } = await import('../src/providers/wechatpay/provider.ts');
    const { silentLogger } = await import('../src/lib/log.ts');
    const apps = { ...creds.apps!, oa: { appId: creds.apps!.oa!.appId, secret: '0'.repeat(32) } };
    const provider = createWechatpayProvider({ ...creds, apps }, { clock: t.clock, log: silentLogger });
    expect(await provider.payer!.identify('jsapi', (await codeFor('jsapi'))!)).toEqual({
      kind: 'unknown',
      reason: 'errcode_40125',
    });
  });

  it('refuses to pay a JSAPI order in the client of another WeChat user than the one who ordered', async () => {
    const { orderNo } = await t.placeOrder();
    const { action } = (await startPayment(orderNo, 'jsapi', await codeFor('jsapi', 'alice'))).body;
    const res = await sandbox('client/jsapi/pay', { params: action.params, user: 'bob' });
    expect(res.status).toBe(400);
    expect(res.body.desc).toMatch(/下单账号与支付账号不一致/);
    expect((await t.order(orderNo)).status).toBe('pending_payment');
  });
});
