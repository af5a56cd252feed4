import type { Clock } from '../../src/lib/clock.ts';
import { toYuanString } from '../../src/lib/money.ts';
import type { AlipayApis } from './api.ts';
import { checkCommon } from './gateway.ts';
import type { AlipaySandboxKeys } from './keys.ts';
import { markPaid } from './payment-codes.ts';
import { signedResponse } from './signing.ts';

/** What the Alipay app SDK's payTask answers the shop's app: resultStatus 9000 paid, 4000 failed, 6001 cancelled. */
export type AppPayResult =
  | { resultStatus: '9000'; memo: string; result: string; outTradeNo: string }
  | { resultStatus: '4000' | '6001'; memo: string; subCode?: string };

/**
 * The simulated Alipay app (docs/sandbox/alipay.md#app): it takes the order string the shop's app got from mallpay,
 * checks its signature, parameters and time like Alipay does, makes the trade and pays it, signed notification
 * included. `result` is the signed alipay_trade_app_pay_response the real SDK hands back.
 */
export function createAppPay(deps: { apis: AlipayApis; keys: AlipaySandboxKeys; clock: Clock }) {
  return async function payOrderString(orderString: string, cancel: boolean): Promise<AppPayResult> {
    const p: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(orderString)) if (!Object.hasOwn(p, k)) p[k] = v;
    if (p.method !== 'alipay.trade.app.pay')
      return { resultStatus: '4000', memo: 'not an alipay.trade.app.pay order string', subCode: 'isv.invalid-method' };
    const checked = checkCommon(p, deps.keys, deps.clock.now());
    if ('error' in checked)
      return { resultStatus: '4000', memo: checked.error.sub_msg, subCode: checked.error.sub_code };
    if (cancel) return { resultStatus: '6001', memo: '用户中途取消' };
    const created = await deps.apis.createTrade('app', checked.biz, p);
    if ('error' in created)
      return { resultStatus: '4000', memo: created.error.sub_msg, subCode: created.error.sub_code };
    const outTradeNo = created.trade!.outTradeNo;
    const paid = await deps.apis.withTrade(outTradeNo, async (t, sql) => {
      if (!t || t.status !== 'WAIT_BUYER_PAY') return { result: t, save: false };
      markPaid(t, deps.clock.now());
      await deps.apis.notify(t, sql);
      return { result: t, save: true };
    });
    if (!paid || paid.status !== 'TRADE_SUCCESS')
      return { resultStatus: '4000', memo: `trade is ${paid?.status ?? 'missing'}` };
    const result = signedResponse(
      'alipay_trade_app_pay_response',
      {
        code: '10000',
        msg: 'Success',
        app_id: paid.appId,
        out_trade_no: paid.outTradeNo,
        trade_no: paid.tradeNo,
        total_amount: toYuanString(paid.totalFen),
        seller_id: deps.keys.sellerId,
        charset: 'utf-8',
        timestamp: paid.gmtPayment,
      },
      deps.keys.alipayPrivateKey,
      deps.keys.certMode?.alipayCertSn,
    );
    return { resultStatus: '9000', memo: '', result, outTradeNo };
  };
}
