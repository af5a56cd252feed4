import type { PaymentMethod } from '../config.ts';

/**
 * What each provider accepts, checked before an application is taken (so a customer is not told "under review" for a
 * refund the provider must refuse). docs/protocols/: WeChat Pay at most 50 refunds per order, within a year
 * (docs/protocols/wechatpay.md#refund-rules); UnionPay within 11 months (docs/protocols/unionpay.md#refunds,
 * unconfirmed); Alipay's window is set by contract, commonly 3 or 12 months (docs/protocols/alipay.md#refund,
 * unconfirmed): 12 is assumed, with no count limit known.
 */
export const REFUND_LIMITS: Record<PaymentMethod, { maxRefunds: number; windowDays: number }> = {
  alipay: { maxRefunds: 1000, windowDays: 365 },
  wechatpay: { maxRefunds: 50, windowDays: 365 },
  unionpay: { maxRefunds: 1000, windowDays: 330 },
};
