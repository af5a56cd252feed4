import { createPublicKey, createVerify } from 'node:crypto';
import { Hono } from 'hono';
import { formatMoney } from '../../src/lib/money.ts';
import { isTestUser, openidOf, type WechatAppKeys } from './apps.ts';
import { tradeKey, type TradeRecord } from './records.ts';
import type { TradeBook } from './trades.ts';

type Kind = 'jsapi' | 'mini' | 'app';
type Checked = { ok: true; trade: TradeRecord } | { ok: false; desc: string };

/** What each client calls its result (WeixinJSBridge err_msg, wx.requestPayment errMsg, OpenSDK BaseResp). */
const RESULT: Record<Kind, { ok: string; fail: string; cancel: string }> = {
  jsapi: {
    ok: 'get_brand_wcpay_request:ok',
    fail: 'get_brand_wcpay_request:fail',
    cancel: 'get_brand_wcpay_request:cancel',
  },
  mini: { ok: 'requestPayment:ok', fail: 'requestPayment:fail', cancel: 'requestPayment:fail cancel' },
  app: { ok: '0', fail: '-1', cancel: '-2' },
};

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * The WeChat clients' side of an in-app payment (issue 15): what WeixinJSBridge's getBrandWCPayRequest,
 * wx.requestPayment and the OpenSDK's PayReq do before the payer sees the pay sheet. The merchant's signature
 * over the parameters is checked with the merchant's API key, as WeChat does; a wrong one fails like the real
 * client ("支付验证签名失败"), and nothing is paid. `check` looks only; `pay` (or `cancel`) also acts.
 */
export function clientRoutes(deps: { book: TradeBook; apps: WechatAppKeys; merchantPublicKey: string }) {
  const { book, apps } = deps;
  const key = createPublicKey(deps.merchantPublicKey);
  const app = new Hono();
  const verify = (signature: string, ...pieces: string[]) => {
    try {
      return createVerify('RSA-SHA256')
        .update(pieces.map((p) => `${p}\n`).join(''))
        .verify(key, signature, 'base64');
    } catch {
      return false;
    }
  };

  async function check(kind: Kind, p: Record<string, unknown>, user: unknown): Promise<Checked> {
    const appId = kind === 'app' ? str(p.appid) : kind === 'jsapi' ? str(p.appId) : apps.mini.appId;
    const expectedApp = kind === 'jsapi' ? apps.oa.appId : kind === 'mini' ? apps.mini.appId : apps.app.appId;
    if (appId !== expectedApp)
      return { ok: false, desc: `appid ${appId || '(none)'} is not this ${kind} client's app` };
    const timestamp = kind === 'app' ? str(p.timestamp) : str(p.timeStamp);
    const nonce = kind === 'app' ? str(p.noncestr) : str(p.nonceStr);
    let prepay: string;
    if (kind === 'app') {
      if (p.package !== 'Sign=WXPay') return { ok: false, desc: 'package must be Sign=WXPay' };
      prepay = str(p.prepayid);
      if (!verify(str(p.sign), appId, timestamp, nonce, prepay)) return { ok: false, desc: '支付验证签名失败 (sign)' };
    } else {
      const pkg = str(p.package);
      if (!pkg.startsWith('prepay_id=')) return { ok: false, desc: 'package must be prepay_id=…' };
      if (p.signType !== 'RSA') return { ok: false, desc: 'signType must be RSA' };
      prepay = pkg.slice('prepay_id='.length);
      if (!verify(str(p.paySign), appId, timestamp, nonce, pkg))
        return { ok: false, desc: '支付验证签名失败 (paySign)' };
    }
    if (!/^\d{1,12}$/.test(timestamp) || nonce.length === 0 || nonce.length > 32)
      return { ok: false, desc: 'timeStamp must be seconds, nonceStr 1-32 characters' };
    const trade = await book.findByPrepay(prepay);
    if (!trade || trade.appid !== appId) return { ok: false, desc: 'prepay_id 不存在或已失效' };
    if (kind !== 'app' && isTestUser(user) && openidOf(apps, appId, user) !== trade.payer_openid)
      return { ok: false, desc: '下单账号与支付账号不一致 (the order names another WeChat user)' };
    return { ok: true, trade };
  }

  for (const kind of ['jsapi', 'mini', 'app'] as const) {
    app.post(`/client/${kind}/:step{check|pay|cancel}`, async (c) => {
      const body = (await c.req.json().catch(() => null)) as { params?: unknown; user?: unknown } | null;
      const params =
        body && typeof body.params === 'object' && body.params !== null ? (body.params as Record<string, unknown>) : {};
      const r = await check(kind, params, body?.user);
      const result = RESULT[kind];
      if (!r.ok) return c.json({ result: result.fail, desc: r.desc }, 400);
      const t = r.trade;
      const summary = {
        outTradeNo: t.out_trade_no,
        description: t.description,
        amount: formatMoney(t.total, 'CNY'),
        state: t.state,
      };
      const step = c.req.param('step');
      if (step === 'check') return c.json({ result: 'checked', ...summary });
      if (step === 'cancel') return c.json({ result: result.cancel, ...summary });
      const paid = await book.pay(tradeKey(t.mchid, t.out_trade_no));
      if (!paid.ok) return c.json({ result: result.fail, desc: paid.error.message, ...summary }, 409);
      return c.json({ result: result.ok, ...summary, state: paid.value.state });
    });
  }
  return app;
}
