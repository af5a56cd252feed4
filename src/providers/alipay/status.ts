/**
 * The one mapping of Alipay's trade_status to ours (docs/protocols/alipay.md#status-mapping). TRADE_CLOSED means
 * "closed unpaid" or "fully refunded" (docs/protocols/alipay.md#trade-status): only evidence of a payment (gmt_payment
 * / send_pay_date, a refund) tells them apart, and a refunded payment stays `succeeded` (refunds are separate records).
 */
export type WireTradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED';
export type MappedTradeStatus = 'pending' | 'succeeded' | 'closed';

const WIRE_STATUSES: readonly string[] = [
  'WAIT_BUYER_PAY',
  'TRADE_SUCCESS',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
] satisfies WireTradeStatus[];

export function isWireTradeStatus(v: unknown): v is WireTradeStatus {
  return typeof v === 'string' && WIRE_STATUSES.includes(v);
}

export function mapTradeStatus(status: WireTradeStatus, wasPaid: boolean): MappedTradeStatus {
  switch (status) {
    case 'WAIT_BUYER_PAY':
      return 'pending';
    case 'TRADE_SUCCESS':
    case 'TRADE_FINISHED':
      return 'succeeded';
    case 'TRADE_CLOSED':
      return wasPaid ? 'succeeded' : 'closed';
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** Gateway codes (docs/protocols/alipay.md#response-codes): which answers are final and which leave us not knowing. */
export type GatewayVerdict = 'ok' | 'refused' | 'unknown';

export function gatewayVerdict(code: string | undefined, subCode: string | undefined): GatewayVerdict {
  // 10003 (alipay.trade.pay only): accepted, the buyer is still confirming on the phone; the caller reads body.code.
  if (code === '10000' || code === '10003') return 'ok';
  // ACQ.SYSTEM_ERROR rides on 40004 but is Alipay's "try again", like 20000.
  if (subCode === 'ACQ.SYSTEM_ERROR') return 'unknown';
  if (code === '40001' || code === '40002' || code === '40004' || code === '40006' || code === '20001')
    return 'refused';
  return 'unknown';
}
