import type { AttemptRef } from '../providers/provider.ts';
import type { PaymentRow } from './payment.ts';

/** What every provider call about an attempt carries: the numbers saved before the first call. */
export function toAttemptRef(p: PaymentRow & { order_expires_at?: Date }): AttemptRef {
  return {
    paymentNo: p.payment_no,
    channel: p.channel,
    amount: p.amount,
    currency: p.currency,
    createdAt: p.created_at,
    providerTradeNo: p.provider_trade_no,
    payBy: p.order_expires_at ?? null,
  };
}
