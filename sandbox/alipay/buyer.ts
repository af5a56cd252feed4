import { randomInt } from 'node:crypto';
import { beijingDateTime, type Clock } from '../../src/lib/clock.ts';
import { toYuanString } from '../../src/lib/money.ts';
import type { AlipayApis } from './api.ts';
import type { AlipaySandboxKeys } from './keys.ts';
import { NOTIFY_UNSIGNED, rsa2Sign, signContent } from './signing.ts';
import type { SandboxTrade } from './trades.ts';

export type BuyerOutcome = { ok: true; trade: SandboxTrade } | { ok: false; error: string; trade?: SandboxTrade };

/** What the buyer does at the cashier (and the scripted controls do for tests): scan, pay, fail, and time passing. */
export function createBuyerActions(apis: AlipayApis, clock: Clock, keys: AlipaySandboxKeys) {
  /**
   * The buyer reaches the cashier. Scanning a QR code makes a precreated trade exist
   * (docs/protocols/alipay.md#precreate, A11), so does logging in at a page/wap cashier (`loggedIn`); merely opening
   * the page/wap cashier does not.
   */
  function open(outTradeNo: string, how: 'scan' | 'view' | 'login'): Promise<BuyerOutcome> {
    return apis.withTrade<BuyerOutcome>(outTradeNo, async (t) => {
      if (!t) return { result: { ok: false, error: 'no such trade' }, save: false };
      if (t.status !== 'WAIT_BUYER_PAY')
        return { result: { ok: false, error: `trade is ${t.status}`, trade: t }, save: false };
      const exists = how === 'login' || (how === 'scan' && t.kind === 'precreate');
      const save = exists && !t.opened;
      if (exists) t.opened = true;
      return { result: { ok: true, trade: t }, save };
    });
  }

  function pay(outTradeNo: string): Promise<BuyerOutcome> {
    return apis.withTrade<BuyerOutcome>(outTradeNo, async (t, sql) => {
      if (!t) return { result: { ok: false, error: 'no such trade' }, save: false };
      if (t.status !== 'WAIT_BUYER_PAY')
        return { result: { ok: false, error: `trade is ${t.status}`, trade: t }, save: false };
      t.opened = true;
      t.status = 'TRADE_SUCCESS';
      t.gmtPayment = beijingDateTime(clock.now());
      t.buyerId = `2088${String(randomInt(1e12)).padStart(12, '0')}`;
      t.buyerLogonId = '138****0000';
      await apis.notify(t, sql);
      return { result: { ok: true, trade: t }, save: true };
    });
  }

  /**
   * A failed attempt at the cashier (the buyer logged in, the payment did not go through): the trade now
   * exists; Alipay has no failed trade status and sends nothing; the trade stays payable.
   */
  async function fail(outTradeNo: string): Promise<BuyerOutcome> {
    return open(outTradeNo, 'login');
  }

  /**
   * The refund window ends: TRADE_SUCCESS becomes TRADE_FINISHED, notified
   * (docs/protocols/alipay.md#notification-triggers).
   */
  function finish(outTradeNo: string): Promise<BuyerOutcome> {
    return apis.withTrade<BuyerOutcome>(outTradeNo, async (t, sql) => {
      if (!t || t.status !== 'TRADE_SUCCESS')
        return { result: { ok: false, error: 'only a TRADE_SUCCESS trade can finish' }, save: false };
      t.status = 'TRADE_FINISHED';
      await apis.notify(t, sql);
      return { result: { ok: true, trade: t }, save: true };
    });
  }

  /** docs/protocols/alipay.md#return-url: the browser's way back to return_url, signed like a notification. */
  function returnUrl(t: SandboxTrade): string | null {
    if (!t.returnUrl) return null;
    const params: Record<string, string> = {
      charset: 'utf-8',
      out_trade_no: t.outTradeNo,
      method: `alipay.trade.${t.kind === 'wap' ? 'wap' : 'page'}.pay.return`,
      total_amount: toYuanString(t.totalFen),
      trade_no: t.tradeNo,
      auth_app_id: t.appId,
      version: '1.0',
      app_id: t.appId,
      sign_type: 'RSA2',
      seller_id: keys.sellerId,
      timestamp: beijingDateTime(clock.now()),
    };
    params.sign = rsa2Sign(signContent(params, NOTIFY_UNSIGNED, { keepEmpty: true }), keys.alipayPrivateKey);
    return `${t.returnUrl}${t.returnUrl.includes('?') ? '&' : '?'}${new URLSearchParams(params)}`;
  }

  return { open, pay, fail, finish, returnUrl };
}

export type BuyerActions = ReturnType<typeof createBuyerActions>;
