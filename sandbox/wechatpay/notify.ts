import { randomUUID } from 'node:crypto';
import type { NotifyProtocol } from '../shared/notifier.ts';
import type { GatewayCrypto } from './crypto.ts';
import { randomBase62 } from './keys.ts';
import { wireTime } from './records.ts';

export const PROVIDER = 'wechatpay';

/** docs/protocols/wechatpay.md#notification-retries: 15 retries in about 24 h 4 min after the first send. */
const S = 1000;
const M = 60 * S;
const H = 60 * M;
export const RETRY_DELAYS_MS = [
  15 * S,
  15 * S,
  30 * S,
  3 * M,
  10 * M,
  20 * M,
  30 * M,
  30 * M,
  30 * M,
  60 * M,
  3 * H,
  3 * H,
  3 * H,
  6 * H,
  6 * H,
] as const;

export type EventType = 'TRANSACTION.SUCCESS' | 'REFUND.SUCCESS' | 'REFUND.ABNORMAL' | 'REFUND.CLOSED';

/** What a delivery row keeps: the plain resource; it is encrypted and signed afresh at each send. */
export interface NotificationPayload {
  [k: string]: unknown;
  url: string;
  id: string;
  create_time: string;
  event_type: EventType;
  summary: string;
  original_type: 'transaction' | 'refund';
  resource: Record<string, unknown>;
  /**
   * Sent with a `WECHATPAY/SIGNTEST/` signature that must fail verification
   * (docs/protocols/wechatpay.md#signature-probe).
   */
  probe?: boolean;
}

const SUMMARY: Record<EventType, string> = {
  'TRANSACTION.SUCCESS': '支付成功',
  'REFUND.SUCCESS': '退款成功',
  'REFUND.ABNORMAL': '退款异常',
  'REFUND.CLOSED': '退款关闭',
};

export function notification(
  url: string,
  eventType: EventType,
  resource: Record<string, unknown>,
  now: Date,
  probe = false,
): NotificationPayload {
  return {
    url,
    id: randomUUID(),
    create_time: wireTime(now),
    event_type: eventType,
    summary: SUMMARY[eventType],
    original_type: eventType === 'TRANSACTION.SUCCESS' ? 'transaction' : 'refund',
    resource,
    ...(probe ? { probe: true } : {}),
  };
}

export function wechatpayNotifyProtocol(crypto: GatewayCrypto): NotifyProtocol {
  return {
    retryDelaysMs: RETRY_DELAYS_MS,
    timeoutMs: 5000,
    render(raw, now) {
      const p = raw as NotificationPayload;
      // The AAD is the resource's kind: `transaction` or `refund`.
      const { ciphertext, nonce } = crypto.encrypt(JSON.stringify(p.resource), p.original_type);
      const body = JSON.stringify({
        id: p.id,
        create_time: p.create_time,
        resource_type: 'encrypt-resource',
        event_type: p.event_type,
        summary: p.summary,
        resource: {
          original_type: p.original_type,
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext,
          associated_data: p.original_type,
          nonce,
        },
      });
      const probeSignature = p.probe ? `WECHATPAY/SIGNTEST/${randomBase62(64)}` : undefined;
      return {
        url: p.url,
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': 'Mozilla/4.0',
          ...crypto.signedHeaders(body, now, {
            notification: true,
            ...(probeSignature ? { signature: probeSignature } : {}),
          }),
        },
        body,
      };
    },
    acknowledged: (status) => status === 200 || status === 204,
  };
}
