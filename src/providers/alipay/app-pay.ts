import { beijingDateTime } from '../../lib/clock.ts';
import { toYuanString } from '../../lib/money.ts';
import type { CreatePaymentInput, CreateResult } from '../provider.ts';
import type { AlipayClient } from './client.ts';
import { cleanSubject } from './wire.ts';

/**
 * alipay.trade.app.pay (docs/channels/alipay-app.md): the signed order string for the Alipay app SDK. Nothing reaches
 * Alipay until the buyer's app sends it, so the trade exists only from then on (query answers ACQ.TRADE_NOT_EXIST
 * before, which the adapter reads as still pending).
 */
export function appOrderString(client: AlipayClient, input: CreatePaymentInput): CreateResult {
  const orderString = client.orderString(
    'alipay.trade.app.pay',
    {
      out_trade_no: input.paymentNo,
      total_amount: toYuanString(input.amount),
      subject: cleanSubject(input.subject),
      product_code: 'QUICK_MSECURITY_PAY',
      time_expire: beijingDateTime(input.expiresAt),
    },
    { notifyUrl: input.notifyUrl },
  );
  return { kind: 'created', action: { type: 'alipay_app', orderString } };
}
