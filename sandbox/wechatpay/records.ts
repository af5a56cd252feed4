import { beijingRfc3339 } from '../../src/lib/clock.ts';

/** The sandbox's own records, kept as JSON in sandbox_records (kinds `trade`, `refund`, `prepay`, `txn`). */
export type TradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR';
export type RefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

export interface TradeRecord {
  mchid: string;
  appid: string;
  out_trade_no: string;
  trade_type: 'NATIVE' | 'MWEB' | 'JSAPI' | 'APP';
  description: string;
  attach?: string | undefined;
  notify_url: string;
  time_expire?: string | undefined;
  total: number;
  payer_client_ip?: string | undefined;
  /** JSAPI (official account or mini-program): the payer named at order time, under the trade's appid. */
  payer_openid?: string | undefined;
  state: TradeState;
  /** The create request as sent, to tell a retry (same answer) from a reuse (OUT_TRADE_NO_USED). */
  fingerprint: string;
  /** Opaque id in code_url/h5_url, as `pr=` in `weixin://wxpay/bizpayurl?pr=…`. */
  prepay: string;
  create_time: string;
  transaction_id?: string;
  success_time?: string;
  refund_nos: string[];
  /** Sum of refunds not CLOSED: what is no longer refundable. */
  refunded: number;
  /**
   * A merchant-funded coupon (免充值券, promotion type NOCASH) the customer paid with, in fen: the customer
   * pays total − coupon and the merchant is settled the same, so the bill's 应结订单金额 is below 订单金额.
   */
  coupon?: number;
}

export interface RefundRecord {
  mchid: string;
  refund_id: string;
  out_refund_no: string;
  out_trade_no: string;
  transaction_id: string;
  status: RefundStatus;
  reason?: string | undefined;
  notify_url?: string | undefined;
  funds_account?: string | undefined;
  refund: number;
  total: number;
  /** The order's merchant-funded coupon, and the share of it this refund gives back (not to the customer). */
  coupon_total?: number;
  coupon_refund?: number;
  create_time: string;
  success_time?: string;
  /** When the automatic settlement turns PROCESSING into SUCCESS (time-scaled). */
  due_at: string;
}

export const tradeKey = (mchid: string, outTradeNo: string) => `${mchid}:${outTradeNo}`;
export const refundKey = (mchid: string, outRefundNo: string) => `${mchid}:${outRefundNo}`;

const TRADE_TYPE_DESC: Record<TradeState, string> = {
  NOTPAY: '订单未支付',
  SUCCESS: '支付成功',
  REFUND: '转入退款',
  CLOSED: '订单已关闭',
  PAYERROR: '支付失败，请重新下单支付',
};

/**
 * A transaction as the query answers it and TRANSACTION.SUCCESS carries it (docs/protocols/wechatpay.md#query); unpaid:
 * no payer fields (docs/protocols/wechatpay.md#u9).
 */
export function transactionView(t: TradeRecord): Record<string, unknown> {
  const paid = t.transaction_id !== undefined;
  return {
    appid: t.appid,
    mchid: t.mchid,
    out_trade_no: t.out_trade_no,
    ...(paid ? { transaction_id: t.transaction_id } : {}),
    trade_type: t.trade_type,
    trade_state: t.state,
    trade_state_desc: TRADE_TYPE_DESC[t.state],
    ...(paid
      ? {
          bank_type: 'OTHERS',
          success_time: t.success_time,
          payer: { openid: t.payer_openid ?? `o-sandbox-${t.mchid}` },
        }
      : {}),
    attach: t.attach ?? '',
    amount: paid
      ? { total: t.total, payer_total: t.total - (t.coupon ?? 0), currency: 'CNY', payer_currency: 'CNY' }
      : { total: t.total, currency: 'CNY' },
    ...(t.payer_client_ip ? { scene_info: { payer_client_ip: t.payer_client_ip } } : {}),
    promotion_detail: paid && t.coupon ? [couponDetail(t)] : [],
  };
}

/**
 * The promotion_detail item of a merchant-funded coupon (docs/protocols/wechatpay.md#query: type NOCASH,
 * merchant_contribute).
 */
function couponDetail(t: TradeRecord): Record<string, unknown> {
  return {
    coupon_id: `1${t.transaction_id!.slice(-9)}`,
    name: '商户代金券 (sandbox)',
    scope: 'GLOBAL',
    type: 'NOCASH',
    stock_id: '8000000001',
    amount: t.coupon,
    wechatpay_contribute: 0,
    merchant_contribute: t.coupon,
    other_contribute: 0,
    currency: 'CNY',
  };
}

/** The refund object of create and query answers (docs/protocols/wechatpay.md#refunds). */
export function refundView(r: RefundRecord): Record<string, unknown> {
  return {
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(r.success_time ? { success_time: r.success_time } : {}),
    create_time: r.create_time,
    status: r.status,
    funds_account: r.funds_account ?? 'AVAILABLE',
    amount: {
      total: r.total,
      refund: r.refund,
      from: [],
      payer_total: r.total - (r.coupon_total ?? 0),
      payer_refund: r.refund - (r.coupon_refund ?? 0),
      settlement_refund: r.refund - (r.coupon_refund ?? 0),
      settlement_total: r.total - (r.coupon_total ?? 0),
      discount_refund: r.coupon_refund ?? 0,
      currency: 'CNY',
      refund_fee: 0,
    },
    promotion_detail: [],
  };
}

/** The decrypted resource of REFUND.* notifications (docs/protocols/wechatpay.md#notification-format). */
export function refundResource(r: RefundRecord): Record<string, unknown> {
  return {
    mchid: r.mchid,
    transaction_id: r.transaction_id,
    out_trade_no: r.out_trade_no,
    refund_id: r.refund_id,
    out_refund_no: r.out_refund_no,
    refund_status: r.status,
    ...(r.success_time ? { success_time: r.success_time } : {}),
    user_received_account: '支付用户零钱',
    amount: {
      total: r.total,
      refund: r.refund,
      payer_total: r.total - (r.coupon_total ?? 0),
      payer_refund: r.refund - (r.coupon_refund ?? 0),
    },
  };
}

export const wireTime = (d: Date) => beijingRfc3339(d);
