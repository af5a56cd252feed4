import { describe, expect, it } from 'vitest';
import { mapRefundStatus, mapTradeState, REFUND_STATUSES, TRADE_STATES } from './status.ts';

describe('WeChat Pay status mapping (docs/protocols/wechatpay.md#status-mapping)', () => {
  it('maps every trade_state to the payment state of docs/protocols/wechatpay.md#status-mapping', () => {
    expect(Object.fromEntries(TRADE_STATES.map((s) => [s, mapTradeState(s)]))).toEqual({
      SUCCESS: 'succeeded',
      REFUND: 'succeeded',
      NOTPAY: 'pending',
      USERPAYING: 'pending',
      CLOSED: 'closed',
      REVOKED: 'closed',
      PAYERROR: 'failed',
    });
  });

  it('maps every refund status, keeping ABNORMAL processing because it is not final', () => {
    expect(Object.fromEntries(REFUND_STATUSES.map((s) => [s, mapRefundStatus(s)]))).toEqual({
      SUCCESS: 'succeeded',
      CLOSED: 'failed',
      PROCESSING: 'processing',
      ABNORMAL: 'processing',
    });
  });
});
