import { beijingDateTime, type Clock } from '../../src/lib/clock.ts';
import { toYuanString } from '../../src/lib/money.ts';
import type { RecordStore } from '../shared/store.ts';
import type { AlipayApis } from './api.ts';
import { business, invalidParameter, success, tradeNotExist, type ApiResult } from './errors.ts';
import { buyerOfCode, markPaid, PAYMENT_CODE_SHAPE } from './payment-codes.ts';
import { newTradeNo, parseAmount, remainingFen, type SandboxTrade } from './trades.ts';

type Biz = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
/** A face-to-face trade the buyer never confirms closes after this (Alipay's default for trade.pay is not published). */
const BARCODE_TRADE_LIFE_MS = 2 * 3600_000;

/**
 * alipay.trade.pay (scene bar_code) and alipay.trade.cancel (docs/sandbox/alipay.md#payment-codes): the buyer behind
 * the payment code pays at once, is asked for a password (10003) and pays later or never, or has too little money.
 */
export function createFaceToFaceApis(deps: { apis: AlipayApis; store: RecordStore; clock: Clock; sellerId: string }) {
  const { apis, store, clock } = deps;

  /** The answer of trade.pay for the trade as it is: paid (10000) or still waiting for the buyer (10003). */
  function payAnswer(t: SandboxTrade): ApiResult {
    const fields = {
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      buyer_logon_id: t.buyerLogonId ?? undefined,
      total_amount: toYuanString(t.totalFen),
    };
    if (t.status === 'WAIT_BUYER_PAY') return { ok: { code: '10003', msg: ' order success pay inprocess', ...fields } };
    return success({
      ...fields,
      receipt_amount: toYuanString(t.totalFen),
      buyer_pay_amount: toYuanString(t.totalFen),
      gmt_payment: t.gmtPayment ?? undefined,
      buyer_user_id: t.buyerId ?? undefined,
      fund_bill_list: [{ fund_channel: 'ALIPAYACCOUNT', amount: toYuanString(t.totalFen) }],
    });
  }

  async function tradePay(biz: Biz, common: Record<string, string>): Promise<ApiResult> {
    const outTradeNo = str(biz.out_trade_no);
    if (!outTradeNo || !/^[A-Za-z0-9_]{1,64}$/.test(outTradeNo)) return invalidParameter('out_trade_no');
    if (biz.scene !== 'bar_code') return invalidParameter('scene');
    const authCode = str(biz.auth_code) ?? '';
    if (!PAYMENT_CODE_SHAPE.test(authCode))
      return business('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款');
    const productCode = str(biz.product_code) ?? 'FACE_TO_FACE_PAYMENT';
    if (productCode !== 'FACE_TO_FACE_PAYMENT') return invalidParameter('product_code');
    const totalFen = parseAmount(biz.total_amount);
    if (totalFen === null) return invalidParameter('total_amount');
    const subject = str(biz.subject);
    if (!subject || subject.length > 256) return invalidParameter('subject');
    const buyer = buyerOfCode(authCode);
    if (!buyer)
      return business('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款');

    return apis.withTrade<ApiResult>(outTradeNo, async (existing, sql) => {
      if (existing) {
        // The same request again (the first one timed out): the trade as it is now.
        const same = existing.kind === 'barcode' && existing.totalFen === totalFen;
        if (!same) return { result: business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改'), save: false };
        if (existing.status === 'TRADE_CLOSED')
          return { result: business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭'), save: false };
        return { result: payAnswer(existing), save: false };
      }
      if (buyer.outcome.kind === 'insufficient_balance')
        return { result: business('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足'), save: false };
      const at = clock.now();
      const t: SandboxTrade = {
        appId: common.app_id!,
        outTradeNo,
        tradeNo: newTradeNo(at),
        kind: 'barcode',
        productCode,
        subject,
        totalFen,
        notifyUrl: common.notify_url || null,
        returnUrl: null,
        passbackParams: null,
        qrCode: null,
        opened: true,
        status: 'WAIT_BUYER_PAY',
        expiresAt: new Date(at.getTime() + BARCODE_TRADE_LIFE_MS).toISOString(),
        gmtCreate: beijingDateTime(at),
        gmtPayment: null,
        gmtClose: null,
        buyerId: buyer.buyerId,
        buyerLogonId: buyer.logonId,
        refundFen: 0,
        refunds: [],
        payAt:
          buyer.outcome.kind === 'password'
            ? new Date(at.getTime() + buyer.outcome.seconds * 1000).toISOString()
            : null,
      };
      if (buyer.outcome.kind === 'pays') {
        markPaid(t, at, buyer);
        await apis.notify(t, sql);
      }
      await store.put('trade', outTradeNo, t, sql);
      await store.put('trade_no', t.tradeNo, outTradeNo, sql);
      return { result: payAnswer(t), save: false };
    });
  }

  /**
   * alipay.trade.cancel: an unpaid trade closes (action close); a paid one is refunded in full and closes (action
   * refund). Repeating it answers the same. What Alipay notifies after a cancel is not documented; the sandbox sends
   * the TRADE_CLOSED of the trade as it is, without refund fields (docs/sandbox/alipay.md#payment-codes).
   */
  async function cancel(biz: Biz): Promise<ApiResult> {
    const tradeNo = str(biz.trade_no);
    const outTradeNo = tradeNo ? await store.get<string>('trade_no', tradeNo) : str(biz.out_trade_no);
    if (!outTradeNo) return tradeNotExist();
    return apis.withTrade<ApiResult>(outTradeNo, async (t, sql) => {
      if (!t || !t.opened) return { result: tradeNotExist(), save: false };
      const answer = (action: 'close' | 'refund') =>
        success({
          trade_no: t.tradeNo,
          out_trade_no: t.outTradeNo,
          retry_flag: 'N',
          action,
          ...(action === 'refund' ? { gmt_refund_pay: t.gmtClose ?? undefined, refund_settlement_id: undefined } : {}),
        });
      if (t.cancelAction) return { result: answer(t.cancelAction), save: false };
      if (t.status === 'TRADE_FINISHED' || t.refundFen > 0)
        return { result: business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法'), save: false };
      const at = beijingDateTime(clock.now());
      if (t.status === 'TRADE_SUCCESS') {
        const amountFen = remainingFen(t);
        t.refunds.push({ outRequestNo: t.outTradeNo, amountFen, gmtRefund: at });
        t.refundFen += amountFen;
        t.cancelAction = 'refund';
      } else {
        t.cancelAction = 'close';
      }
      const wasOpen = t.status === 'WAIT_BUYER_PAY' || t.status === 'TRADE_SUCCESS';
      t.status = 'TRADE_CLOSED';
      t.gmtClose = at;
      t.payAt = null;
      if (wasOpen) await apis.notify(t, sql);
      return { result: answer(t.cancelAction), save: true };
    });
  }

  return { tradePay, cancel };
}

export type FaceToFaceApis = ReturnType<typeof createFaceToFaceApis>;
