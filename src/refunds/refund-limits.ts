import type { PaymentMethod } from '../config.ts';

/**
 * What each provider accepts, checked before an application is taken (so a customer is not told "under
 * review" for a refund the provider must refuse). PROTOCOLS.md: WeChat Pay at most 50 refunds per order,
 * within a year (§2.4); UnionPay within 11 months (§3.2, unconfirmed); Alipay's window is set by contract,
 * commonly 3 or 12 months (§1.5, unconfirmed): 12 is assumed, with no count limit known.
 */
export const REFUND_LIMITS: Record<PaymentMethod, { maxRefunds: number; windowDays: number }> = {
  alipay: { maxRefunds: 1000, windowDays: 365 },
  wechatpay: { maxRefunds: 50, windowDays: 365 },
  unionpay: { maxRefunds: 1000, windowDays: 330 },
};
