import { toYuanString } from '../../lib/money.ts';
import type { AttemptRef, CancelResult, CreatePaymentInput, CreateResult } from '../provider.ts';
import type { AlipayClient } from './client.ts';
import { cleanSubject } from './wire.ts';

/**
 * An Alipay payment code (付款码) as a scanner reads it: "25~30开头的长度为16~24位的数字" (alipay.trade.pay,
 * auth_code). Anything else is refused before a trade is made.
 */
export const ALIPAY_PAYMENT_CODE = /^(2[5-9]|30)\d{14,22}$/;

/**
 * How long the buyer has to confirm on the phone before mallpay cancels. Alipay's face-to-face demo asks every
 * 5 s, six times, and then cancels (docs/channels/alipay-face-to-face.md); 30 s keeps a shop's queue moving.
 */
export const PAYMENT_CODE_WAIT_MS = 30_000;

/**
 * alipay.trade.pay with scene=bar_code (docs/channels/alipay-face-to-face.md): 10000 paid at once, 10003 the buyer is
 * still confirming (a password), 40004 refused for good (insufficient balance, a used code); anything else leaves the
 * trade unknown, and the caller queries, then cancels.
 */
export async function payByCode(client: AlipayClient, input: CreatePaymentInput, now: Date): Promise<CreateResult> {
  const authCode = input.authCode ?? '';
  if (!ALIPAY_PAYMENT_CODE.test(authCode))
    return { kind: 'failed', reason: 'invalid_payment_code', message: 'not an Alipay payment code' };
  const answer = await client.call(
    'alipay.trade.pay',
    {
      out_trade_no: input.paymentNo,
      scene: 'bar_code',
      auth_code: authCode,
      product_code: 'FACE_TO_FACE_PAYMENT',
      total_amount: toYuanString(input.amount),
      subject: cleanSubject(input.subject),
    },
    { notifyUrl: input.notifyUrl },
  );
  if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason, message: answer.message };
  if (answer.kind === 'refused') return { kind: 'failed', reason: answer.subCode, message: answer.message };
  const waitUntil = new Date(now.getTime() + PAYMENT_CODE_WAIT_MS).toISOString();
  return {
    kind: 'created',
    action: { type: 'payment_code', state: answer.body.code === '10003' ? 'waiting' : 'paid', waitUntil },
  };
}

/**
 * alipay.trade.cancel: closes an unpaid trade, and gives the money back when the buyer had paid (`action` refund).
 * retry_flag Y asks for the same cancel again; a trade Alipay never made has nothing to cancel.
 */
export async function cancelTrade(client: AlipayClient, ref: AttemptRef): Promise<CancelResult> {
  const answer = await client.call('alipay.trade.cancel', { out_trade_no: ref.paymentNo });
  if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason };
  if (answer.kind === 'refused') {
    if (answer.subCode === 'ACQ.TRADE_NOT_EXIST') return { kind: 'closed' };
    return { kind: 'unknown', reason: answer.subCode };
  }
  if (answer.body.retry_flag === 'Y') return { kind: 'unknown', reason: 'retry_flag_Y' };
  if (answer.body.action === 'refund') return { kind: 'refunded' };
  if (answer.body.action === 'close') return { kind: 'closed' };
  return { kind: 'unknown', reason: `cancel_action_${String(answer.body.action ?? 'missing')}` };
}
