import { followUpDelayMs } from '../job-kinds.ts';
import type { PaymentMethod } from '../config.ts';
import type { PaymentAction } from '../providers/provider.ts';
import type { Transitions } from '../lib/transitions.ts';
import { publicAction } from './action-expiry.ts';

/** Every attempt status, once: the type and the API's enum follow it (003_payments.sql checks the same). */
export const PAYMENT_STATUSES = ['pending', 'succeeded', 'failed', 'closed'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/**
 * One attempt's life. The provider's word that money arrived wins over our own close or failure
 * (a late payment): it is recorded as succeeded and, being surplus, goes back by refund.
 */
export const paymentTransitions: Transitions<PaymentStatus> = {
  pending: ['succeeded', 'failed', 'closed'],
  closed: ['succeeded'],
  failed: ['succeeded'],
  succeeded: [],
};

export interface PaymentRow {
  id: number;
  payment_no: string;
  order_id: number;
  method: PaymentMethod;
  channel: string;
  merchant_id: string;
  status: PaymentStatus;
  amount: number;
  currency: string;
  action: PaymentAction | null;
  provider_trade_no: string | null;
  failure_reason: string | null;
  surplus: boolean;
  /** While a payment request closes the order's other attempts and creates this one (migration 010). */
  busy_until: Date | null;
  /** mallpay decided to cancel this attempt at its provider (migration 018): it can never be marked paid. */
  cancel_requested: boolean;
  created_at: Date;
  updated_at: Date;
  succeeded_at: Date | null;
  closed_at: Date | null;
}

export const METHOD_NAMES: Record<PaymentMethod, string> = {
  alipay: 'Alipay',
  wechatpay: 'WeChat Pay',
  unionpay: 'UnionPay',
};

export function paymentView(p: PaymentRow) {
  return {
    paymentNo: p.payment_no,
    method: p.method,
    channel: p.channel,
    status: p.status,
    amount: p.amount,
    currency: p.currency,
    action: p.action && publicAction(p.action),
    createdAt: p.created_at.toISOString(),
    succeededAt: p.succeeded_at?.toISOString() ?? null,
  };
}

/** How often a pending attempt is asked about: soon at first, then less, at most every 5 minutes (job-kinds.ts). */
export const nextPollDelayMs = (age: number): number => followUpDelayMs('payment.poll', age);
