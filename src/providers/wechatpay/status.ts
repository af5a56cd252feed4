/**
 * The one place WeChat Pay wire statuses become ours (docs/protocols/wechatpay.md#status-mapping). Exhaustive by type:
 * a new wire value is a compile error here, and an unexpected string at run time is "unknown", never terminal.
 */
export const TRADE_STATES = ['SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR'] as const;
export type TradeState = (typeof TRADE_STATES)[number];

export const REFUND_STATUSES = ['SUCCESS', 'CLOSED', 'PROCESSING', 'ABNORMAL'] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export type OurPaymentState = 'pending' | 'succeeded' | 'closed' | 'failed';
export type OurRefundState = 'processing' | 'succeeded' | 'failed';

export function isTradeState(v: unknown): v is TradeState {
  return typeof v === 'string' && (TRADE_STATES as readonly string[]).includes(v);
}
export function isRefundStatus(v: unknown): v is RefundStatus {
  return typeof v === 'string' && (REFUND_STATUSES as readonly string[]).includes(v);
}

export function mapTradeState(s: TradeState): OurPaymentState {
  switch (s) {
    case 'SUCCESS':
    case 'REFUND': // a refunded payment stays succeeded: refunds are their own records
      return 'succeeded';
    case 'NOTPAY':
    case 'USERPAYING':
      return 'pending';
    case 'CLOSED':
    case 'REVOKED':
      return 'closed';
    case 'PAYERROR':
      return 'failed';
  }
}

export function mapRefundStatus(s: RefundStatus): OurRefundState {
  switch (s) {
    case 'SUCCESS':
      return 'succeeded';
    case 'CLOSED':
      return 'failed';
    // ABNORMAL is not final: settled on the merchant platform or by apply-abnormal-refund
    // (docs/protocols/wechatpay.md#refunds).
    case 'PROCESSING':
    case 'ABNORMAL':
      return 'processing';
  }
}
