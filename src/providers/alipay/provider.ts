import type { AlipayCredentials } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import { beijingDateTime } from '../../lib/clock.ts';
import type { Logger } from '../../lib/log.ts';
import { fromYuanString, toYuanString } from '../../lib/money.ts';
import type {
  AttemptRef,
  CloseResult,
  CreatePaymentInput,
  CreateResult,
  PaymentProvider,
  PaymentState,
  RefundInput,
  RefundState,
} from '../provider.ts';
import { downloadAlipayBill } from './bill.ts';
import { createAlipayClient, type GatewayAnswer } from './client.ts';
import { createNotificationParser } from './notification.ts';
import { isWireTradeStatus, mapTradeStatus } from './status.ts';
import { parseBeijingDateTime } from '../../lib/clock.ts';
import { cleanSubject, hasQuery, OUT_TRADE_NO, timeoutExpress } from './wire.ts';
import { appOrderString } from './app-pay.ts';
import { ALIPAY_PAYMENT_CODE, cancelTrade, payByCode } from './face-to-face.ts';
import { createInAppTrade } from './in-app.ts';

const PAGE_METHODS = {
  page: ['alipay.trade.page.pay', 'FAST_INSTANT_TRADE_PAY'],
  wap: ['alipay.trade.wap.pay', 'QUICK_WAP_WAY'],
} as const;

/**
 * Alipay OpenAPI v2 (docs/protocols/alipay.md) through alipay-sdk: QR (precreate), PC page and mobile wap cashier,
 * the app SDK's order string, face-to-face payment codes and trades for buyers inside Alipay (docs/channels/).
 */
export function createAlipayProvider(
  creds: AlipayCredentials,
  deps: { clock: Clock; log: Logger; timeoutMs?: number },
): PaymentProvider {
  const client = createAlipayClient(creds, deps);
  const notifications = createNotificationParser(creds, client);
  const unknown = (a: Extract<GatewayAnswer, { kind: 'unknown' }>) => ({
    kind: 'unknown' as const,
    reason: a.reason,
    message: a.message,
  });

  async function createPayment(input: CreatePaymentInput): Promise<CreateResult> {
    if (!OUT_TRADE_NO.test(input.paymentNo))
      return { kind: 'failed', reason: 'invalid_payment_no', message: 'out_trade_no must be 1–64 of [A-Za-z0-9_]' };
    if (hasQuery(input.notifyUrl) || hasQuery(input.returnUrl))
      return {
        kind: 'failed',
        reason: 'invalid_url',
        message: 'notify_url and return_url must carry no query (docs/protocols/alipay.md#common-parameters)',
      };
    const now = deps.clock.now();
    if (input.expiresAt.getTime() <= now.getTime())
      return { kind: 'failed', reason: 'expired', message: 'the attempt expired before it was sent' };
    const biz: Record<string, unknown> = {
      out_trade_no: input.paymentNo,
      total_amount: toYuanString(input.amount),
      subject: cleanSubject(input.subject),
    };

    if (input.channel === 'qr') {
      const answer = await client.call(
        'alipay.trade.precreate',
        { ...biz, product_code: 'FACE_TO_FACE_PAYMENT', timeout_express: timeoutExpress(input.expiresAt, now) },
        { notifyUrl: input.notifyUrl },
      );
      if (answer.kind === 'unknown') return unknown(answer);
      if (answer.kind === 'refused') return { kind: 'failed', reason: answer.subCode, message: answer.message };
      const qr = answer.body.qr_code;
      if (typeof qr !== 'string' || qr === '')
        return { kind: 'unknown', reason: 'missing_qr_code', message: 'precreate answered 10000 without qr_code' };
      return { kind: 'created', action: { type: 'qr', content: qr } };
    }
    if (input.channel === 'page' || input.channel === 'wap') {
      const [method, productCode] = PAGE_METHODS[input.channel];
      // wap only: the mobile cashier's way back to the shop (docs/protocols/alipay.md#page-and-wap-pay); the PC
      // cashier (page.pay) has no such field.
      const quit = input.channel === 'wap' && input.quitUrl ? { quit_url: input.quitUrl } : {};
      const url = client.pageUrl(
        method,
        { ...biz, product_code: productCode, time_expire: beijingDateTime(input.expiresAt), ...quit },
        { notifyUrl: input.notifyUrl, returnUrl: input.returnUrl },
      );
      return { kind: 'created', action: { type: 'redirect', url } };
    }
    if (input.channel === 'barcode') return payByCode(client, input, now);
    if (input.channel === 'app') return appOrderString(client, input);
    if (input.channel === 'jsapi') return createInAppTrade(client, input);
    return { kind: 'failed', reason: 'unsupported_channel', message: `Alipay has no channel ${input.channel}` };
  }

  async function queryPayment(ref: AttemptRef): Promise<PaymentState> {
    const answer = await client.call('alipay.trade.query', { out_trade_no: ref.paymentNo });
    if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason };
    // A precreated trade exists only once scanned (docs/protocols/alipay.md#precreate, A11): "no such trade" is still
    // pending.
    if (answer.kind === 'refused')
      return answer.subCode === 'ACQ.TRADE_NOT_EXIST'
        ? { kind: 'pending' }
        : { kind: 'unknown', reason: answer.subCode };
    const b = answer.body as Record<string, string | undefined>;
    if (!isWireTradeStatus(b.trade_status)) return { kind: 'unknown', reason: 'unrecognised_trade_status' };
    const paidAt = parseBeijingDateTime(b.send_pay_date);
    const refunded = b.refund_fee ? (fromYuanString(b.refund_fee) ?? 0) > 0 : false;
    switch (mapTradeStatus(b.trade_status, paidAt !== null || refunded)) {
      case 'pending':
        return { kind: 'pending' };
      case 'closed':
        return { kind: 'closed' };
      case 'succeeded': {
        const amount = b.total_amount ? fromYuanString(b.total_amount) : null;
        if (amount === null || !b.trade_no) return { kind: 'unknown', reason: 'malformed_query_answer' };
        return { kind: 'succeeded', providerTradeNo: b.trade_no, amount, paidAt };
      }
    }
  }

  async function closePayment(ref: AttemptRef): Promise<CloseResult> {
    const answer = await client.call('alipay.trade.close', { out_trade_no: ref.paymentNo });
    if (answer.kind === 'ok') return { kind: 'closed' };
    if (answer.kind === 'unknown') return { kind: 'unknown', reason: answer.reason };
    // An unscanned precreate has no trade to close; Alipay (and the sandbox, docs/protocols/alipay.md#u3) then refuses
    // the QR code, and a later payment would still arrive as a notification the service handles.
    if (answer.subCode === 'ACQ.TRADE_NOT_EXIST') return { kind: 'closed' };
    if (answer.subCode === 'ACQ.TRADE_STATUS_ERROR') {
      // Paid, or already closed (docs/protocols/alipay.md#u4: the sub_code does not say which): ask.
      const state = await queryPayment(ref);
      if (state.kind === 'succeeded') return { kind: 'already_paid' };
      if (state.kind === 'closed') return { kind: 'closed' };
      return { kind: 'unknown', reason: `close_${answer.subCode}_then_${state.kind}` };
    }
    return { kind: 'unknown', reason: answer.subCode };
  }

  async function queryRefund(input: RefundInput): Promise<RefundState> {
    const answer = await client.call('alipay.trade.fastpay.refund.query', {
      out_trade_no: input.payment.paymentNo,
      out_request_no: input.refundNo,
      query_options: ['gmt_refund_pay'],
    });
    if (answer.kind === 'unknown') return unknown(answer);
    if (answer.kind === 'refused')
      return answer.subCode === 'ACQ.TRADE_NOT_EXIST'
        ? { kind: 'not_found' }
        : { kind: 'unknown', reason: answer.subCode, message: answer.message };
    if (answer.body.refund_status === 'REFUND_SUCCESS') return { kind: 'succeeded', providerRefundNo: null };
    // Alipay refunds are synchronous: without refund_status the refund did not happen. Sending the same
    // out_request_no again is safe even if it were still under way, because Alipay refunds it at most once.
    if (answer.body.refund_status === undefined) return { kind: 'not_found' };
    return { kind: 'processing', providerRefundNo: null };
  }

  async function refund(input: RefundInput): Promise<RefundState> {
    const biz: Record<string, unknown> = {
      out_trade_no: input.payment.paymentNo,
      refund_amount: toYuanString(input.amount),
      // Always sent, always the same for this refund: Alipay's idempotency key (docs/protocols/alipay.md#refund).
      out_request_no: input.refundNo,
    };
    const reason = input.reason.trim().slice(0, 256);
    if (reason) biz.refund_reason = reason;
    const answer = await client.call('alipay.trade.refund', biz);
    if (answer.kind === 'unknown') return unknown(answer);
    if (answer.kind === 'refused') return { kind: 'failed', reason: answer.subCode, message: answer.message };
    if (answer.body.fund_change === 'Y') return { kind: 'succeeded', providerRefundNo: null };
    // fund_change N: a replay of a refund already made, or no money moved yet; the refund query tells which.
    const state = await queryRefund(input);
    return state.kind === 'succeeded' ? state : { kind: 'processing', providerRefundNo: null };
  }

  return {
    method: 'alipay',
    channels: ['qr', 'page', 'wap', 'app', 'barcode', 'jsapi'],
    refundResend: 'same_number',
    merchantId: creds.appId,
    createPayment,
    queryPayment,
    closePayment,
    cancelPayment: (ref) => cancelTrade(client, ref),
    acceptsPaymentCode: (code) => ALIPAY_PAYMENT_CODE.test(code),
    refund,
    queryRefund,
    parseNotification: notifications.parseNotification,
    acknowledge: notifications.acknowledge,
    parseReturn: notifications.parseReturn,
    downloadBill: (date) => downloadAlipayBill(client, date, deps.timeoutMs ?? 10_000),
  };
}
