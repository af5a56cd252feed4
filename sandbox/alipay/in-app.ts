import type { Clock } from '../../src/lib/clock.ts';
import type { RecordStore } from '../shared/store.ts';
import type { AlipayApis } from './api.ts';
import { invalidParameter, success, type ApiResult } from './errors.ts';
import { markPaid } from './payment-codes.ts';
import type { SandboxTrade } from './trades.ts';

type Biz = Record<string, unknown>;
const BUYER_ID = /^2088\d{12}$/;

/** my.tradePay's resultCode: 9000 paid, 4000 failed, 6001 the buyer cancelled (Alipay mini-program docs). */
export type TradePayResult = { resultCode: '9000' | '4000' | '6001'; memo?: string; trade?: SandboxTrade };

/**
 * alipay.trade.create for a buyer inside Alipay, and the simulated `my.tradePay` that pays it
 * (docs/sandbox/alipay.md#in-app). Unlike a QR code, the trade exists from the create on, for that buyer only.
 */
export function createInAppApis(deps: { apis: AlipayApis; store: RecordStore; clock: Clock }) {
  const { apis, store, clock } = deps;

  async function tradeCreate(biz: Biz, common: Record<string, string>): Promise<ApiResult> {
    const buyerId = typeof biz.buyer_id === 'string' ? biz.buyer_id : '';
    if (!BUYER_ID.test(buyerId)) return invalidParameter('buyer_id');
    const created = await apis.createTrade('jsapi', biz, common);
    if ('error' in created) return { error: created.error };
    const t = created.trade!;
    if (t.buyerId && t.buyerId !== buyerId) return invalidParameter('buyer_id');
    await apis.withTrade(t.outTradeNo, async (current) => {
      if (!current) return { result: undefined, save: false };
      current.opened = true;
      current.buyerId = buyerId;
      return { result: undefined, save: true };
    });
    return success({ out_trade_no: t.outTradeNo, trade_no: t.tradeNo });
  }

  /** The buyer confirms in Alipay; only the buyer the trade was made for can (another one gets 4000). */
  async function tradePay(tradeNo: string, buyerId: string | undefined, cancel: boolean): Promise<TradePayResult> {
    const outTradeNo = await store.get<string>('trade_no', tradeNo);
    if (!outTradeNo) return { resultCode: '4000', memo: 'no such trade' };
    return apis.withTrade<TradePayResult>(outTradeNo, async (t, sql) => {
      if (!t || t.kind !== 'jsapi') return { result: { resultCode: '4000', memo: 'no such trade' }, save: false };
      if (buyerId !== undefined && buyerId !== t.buyerId)
        return { result: { resultCode: '4000', memo: 'trade belongs to another buyer' }, save: false };
      if (t.status !== 'WAIT_BUYER_PAY')
        return { result: { resultCode: '4000', memo: `trade is ${t.status}`, trade: t }, save: false };
      if (cancel) return { result: { resultCode: '6001', memo: 'buyer cancelled', trade: t }, save: false };
      markPaid(t, clock.now(), { buyerId: t.buyerId!, logonId: '138****0000' });
      await apis.notify(t, sql);
      return { result: { resultCode: '9000', trade: t }, save: true };
    });
  }

  return { tradeCreate, tradePay };
}

export type InAppApis = ReturnType<typeof createInAppApis>;
