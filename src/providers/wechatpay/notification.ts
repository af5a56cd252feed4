import type { Clock } from '../../lib/clock.ts';
import type { InboundRequest, ParsedNotification, RejectReason } from '../provider.ts';
import { parseObject } from './client.ts';
import {
  decryptResource,
  isFresh,
  signedHeaders,
  verifySignedMessage,
  type EncryptedResource,
  type PlatformKeyRing,
} from './signing.ts';
import { isRefundStatus, mapRefundStatus } from './status.ts';

export interface NotificationContext {
  mchId: string;
  /** The WeChat Pay app id and the in-app channels' (official account, mini-program, app). */
  appIds: readonly string[];
  apiV3Key: string;
  platformKeys: PlatformKeyRing;
  clock: Clock;
}

const reject = (reason: RejectReason, message: string, paymentNo?: string): ParsedNotification =>
  paymentNo ? { kind: 'rejected', reason, message, paymentNo } : { kind: 'rejected', reason, message };

/**
 * Order of checks (docs/protocols/wechatpay.md#notification-handling, docs/api.md#provider-facing-endpoints): signature
 * on the raw body before anything is read, so a tampered notification is always bad_signature; then freshness of the
 * (signed) timestamp; only then decrypt, and finally check that it is for this merchant.
 */
export function parseWechatpayNotification(ctx: NotificationContext, req: InboundRequest): ParsedNotification {
  const v = verifySignedMessage(ctx.platformKeys, signedHeaders(req.headers), req.rawBody);
  if (!v.ok) {
    if (v.why === 'probe') return reject('probe', 'WECHATPAY/SIGNTEST/ signature probe');
    // Never accepted: a serial we hold no key for (nor learnt from GET /v3/certificates) proves nothing.
    if (v.why === 'unknown_serial')
      return reject('unknown_serial', 'Wechatpay-Serial names no platform key or certificate we hold');
    return reject('bad_signature', `signature not verified (${v.why})`);
  }
  if (!isFresh(v.timestamp, req.firstReceivedAt ?? ctx.clock.now()))
    return reject('stale', 'Wechatpay-Timestamp is 5 minutes or more from when it arrived');

  const envelope = parseObject(req.rawBody);
  const resource = envelope?.resource as Partial<EncryptedResource> | undefined;
  if (
    !envelope ||
    typeof envelope.id !== 'string' ||
    typeof envelope.event_type !== 'string' ||
    !resource ||
    typeof resource !== 'object'
  ) {
    return reject('malformed', 'not a notification envelope');
  }
  if (
    typeof resource.ciphertext !== 'string' ||
    typeof resource.nonce !== 'string' ||
    typeof resource.algorithm !== 'string'
  ) {
    return reject('malformed', 'resource lacks ciphertext, nonce or algorithm');
  }
  const plain = decryptResource(ctx.apiV3Key, resource as EncryptedResource);
  const data = plain === null ? null : parseObject(plain);
  if (!data) return reject('malformed', 'resource does not decrypt to JSON with the APIv3 key');

  const eventId = envelope.id;
  const paymentNo = typeof data.out_trade_no === 'string' ? data.out_trade_no : undefined;
  if (data.mchid !== ctx.mchId)
    return reject('merchant_mismatch', `mchid ${String(data.mchid)} is not ours`, paymentNo);
  if (!paymentNo) return reject('malformed', 'no out_trade_no');

  if (envelope.event_type === 'TRANSACTION.SUCCESS') {
    if (typeof data.appid !== 'string' || !ctx.appIds.includes(data.appid))
      return reject('merchant_mismatch', `appid ${String(data.appid)} is not ours`, paymentNo);
    const amount = (data.amount as { total?: unknown } | undefined)?.total;
    if (data.trade_state !== 'SUCCESS' || typeof data.transaction_id !== 'string' || !Number.isSafeInteger(amount)) {
      return reject(
        'malformed',
        'TRANSACTION.SUCCESS without trade_state SUCCESS, transaction_id or integer amount.total',
        paymentNo,
      );
    }
    return {
      kind: 'payment',
      eventId,
      paymentNo,
      state: 'succeeded',
      amount: amount as number,
      providerTradeNo: data.transaction_id,
      paidAt: parseTime(data.success_time),
      confirmByQuery: false,
    };
  }
  if (envelope.event_type.startsWith('REFUND.')) {
    const refund = (data.amount as { refund?: unknown } | undefined)?.refund;
    if (!isRefundStatus(data.refund_status) || typeof data.out_refund_no !== 'string') {
      return reject('malformed', 'refund resource without a known refund_status or out_refund_no', paymentNo);
    }
    return {
      kind: 'refund',
      eventId,
      paymentNo,
      refundNo: data.out_refund_no,
      state: mapRefundStatus(data.refund_status),
      amount: Number.isSafeInteger(refund) ? (refund as number) : null,
      confirmByQuery: false,
    };
  }
  return { kind: 'ignored', eventId, paymentNo, why: `event ${envelope.event_type}` };
}

export function parseTime(v: unknown): Date | null {
  if (typeof v !== 'string') return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}
