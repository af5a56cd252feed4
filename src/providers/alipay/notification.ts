import type { AlipayCredentials } from '../../config.ts';
import { fromYuanString } from '../../lib/money.ts';
import type { InboundRequest, ParsedNotification, ReturnInfo } from '../provider.ts';
import type { AlipayClient } from './client.ts';
import { isWireTradeStatus, mapTradeStatus } from './status.ts';
import { parseBeijingDateTime } from '../../lib/clock.ts';

/**
 * Decodes a form once (docs/protocols/alipay.md#notification-verification, docs/protocols/alipay.md#pitfalls: never
 * twice); the first of a repeated key counts.
 */
function decodeOnce(form: URLSearchParams): Record<string, string> {
  const fields: Record<string, string> = {};
  // Empty values stay: Alipay signs every parameter it sends, an empty one as `key=`, and so does
  // checkNotifySignV2 (docs/protocols/alipay.md, notification verification).
  for (const [k, v] of form) if (!Object.hasOwn(fields, k)) fields[k] = v;
  return fields;
}

const reject = (
  reason: 'bad_signature' | 'merchant_mismatch' | 'malformed',
  message: string,
  paymentNo?: string,
): ParsedNotification =>
  paymentNo ? { kind: 'rejected', reason, message, paymentNo } : { kind: 'rejected', reason, message };

/**
 * A refund leaves its marks on the trade notification (docs/protocols/alipay.md#notification-triggers): out_biz_no,
 * gmt_refund, a refund_fee above zero.
 */
function isRefundNotice(f: Record<string, string>): boolean {
  const refundFee = f.refund_fee ? fromYuanString(f.refund_fee) : null;
  return Boolean(f.out_biz_no || f.gmt_refund || (refundFee !== null && refundFee > 0));
}

export function createNotificationParser(creds: AlipayCredentials, client: AlipayClient) {
  /** Verify first (a tampered notification is always bad_signature), then merchant, then meaning. */
  async function parseNotification(req: InboundRequest): Promise<ParsedNotification> {
    const f = decodeOnce(new URLSearchParams(req.rawBody));
    if (!f.sign) return reject('bad_signature', 'unsigned notification');
    if (!client.verifyNotify(f)) return reject('bad_signature', 'signature does not verify with the Alipay public key');
    const paymentNo = f.out_trade_no;
    if (f.app_id !== creds.appId)
      return reject('merchant_mismatch', `app_id ${f.app_id ?? '(none)'} is not ours`, paymentNo);
    if (creds.sellerId && f.seller_id !== creds.sellerId)
      return reject('merchant_mismatch', `seller_id ${f.seller_id ?? '(none)'} is not ours`, paymentNo);

    const total = f.total_amount ? fromYuanString(f.total_amount) : null;
    if (!paymentNo || !f.notify_id || !f.trade_no || total === null || !isWireTradeStatus(f.trade_status)) {
      return reject(
        'malformed',
        'missing out_trade_no, notify_id, trade_no, total_amount or a known trade_status',
        paymentNo,
      );
    }
    const eventId = f.notify_id;
    if (isRefundNotice(f)) {
      // Synchronous refunds (docs/protocols/alipay.md#refund): the notice reports money already moved. refund_fee is
      // cumulative, so this refund's own amount is not derivable; the service confirms with fastpay.refund.query
      // (docs/protocols/alipay.md#status-mapping).
      return {
        kind: 'refund',
        eventId,
        paymentNo,
        refundNo: f.out_biz_no ?? null,
        state: 'succeeded',
        amount: null,
        confirmByQuery: true,
      };
    }
    const paidAt = parseBeijingDateTime(f.gmt_payment);
    switch (mapTradeStatus(f.trade_status, paidAt !== null)) {
      case 'succeeded':
        if (f.trade_status === 'TRADE_CLOSED')
          return { kind: 'ignored', eventId, paymentNo, why: 'TRADE_CLOSED of a paid trade without refund fields' };
        return {
          kind: 'payment',
          eventId,
          paymentNo,
          state: 'succeeded',
          amount: total,
          providerTradeNo: f.trade_no,
          paidAt,
          confirmByQuery: false,
        };
      case 'closed':
        return {
          kind: 'payment',
          eventId,
          paymentNo,
          state: 'closed',
          amount: total,
          providerTradeNo: f.trade_no,
          paidAt: null,
          confirmByQuery: false,
        };
      case 'pending':
        return { kind: 'ignored', eventId, paymentNo, why: 'WAIT_BUYER_PAY is never notified by Alipay' };
    }
  }

  /** docs/protocols/alipay.md#return-url: the browser's GET to return_url, verified like a notification; UI only. */
  async function parseReturn(req: InboundRequest): Promise<ReturnInfo> {
    const source = req.method === 'GET' ? req.query : new URLSearchParams(req.rawBody);
    const f = decodeOnce(source);
    const verified = Boolean(f.sign) && client.verifyNotify(f) && f.app_id === creds.appId;
    return { paymentNo: f.out_trade_no ?? null, verified };
  }

  /** docs/protocols/alipay.md#notification-ack: exactly `success`, anything else is a failure; both with HTTP 200. */
  function acknowledge(accepted: boolean): Response {
    return new Response(accepted ? 'success' : 'failure', {
      status: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
  }

  return { parseNotification, parseReturn, acknowledge };
}
