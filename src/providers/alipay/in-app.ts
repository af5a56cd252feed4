import { beijingDateTime } from '../../lib/clock.ts';
import { toYuanString } from '../../lib/money.ts';
import type { CreatePaymentInput, CreateResult } from '../provider.ts';
import type { AlipayClient } from './client.ts';
import { cleanSubject } from './wire.ts';

/** An Alipay user id (buyer_id): 2088 and 12 more digits. */
export const ALIPAY_BUYER_ID = /^2088\d{12}$/;

/**
 * alipay.trade.create for a buyer inside Alipay (mini-program or in-app page; docs/channels/alipay-in-app.md): the
 * trade is made for that buyer at once, and its trade_no is what `my.tradePay({ tradeNO })` pays.
 */
export async function createInAppTrade(client: AlipayClient, input: CreatePaymentInput): Promise<CreateResult> {
  if (!ALIPAY_BUYER_ID.test(input.buyerId ?? ''))
    return { kind: 'failed', reason: 'invalid_buyer_id', message: 'buyer_id must be 2088 and 12 digits' };
  const answer = await client.call(
    'alipay.trade.create',
    {
      out_trade_no: input.paymentNo,
      total_amount: toYuanString(input.amount),
      subject: cleanSubject(input.subject),
      product_code: 'JSAPI_PAY',
      buyer_id: input.buyerId,
      time_expire: beijingDateTime(input.expiresAt),
    },
    { notifyUrl: input.notifyUrl },
  );
  if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason, message: answer.message };
  if (answer.kind === 'refused') return { kind: 'failed', reason: answer.subCode, message: answer.message };
  const tradeNo = answer.body.trade_no;
  if (typeof tradeNo !== 'string' || tradeNo === '')
    return { kind: 'unknown', reason: 'missing_trade_no', message: 'trade.create answered 10000 without trade_no' };
  return { kind: 'created', action: { type: 'alipay_trade_pay', tradeNo } };
}
