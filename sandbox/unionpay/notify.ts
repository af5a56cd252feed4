import type { KeyObject } from 'node:crypto';
import type { NotifyProtocol } from '../shared/notifier.ts';
import { signAsGateway, type Fields } from './wire.ts';

/**
 * backUrl notifications (docs/protocols/unionpay.md#notification-retries): a form POST signed like responses, 5 sends
 * 0, 1, 2 and 4 minutes apart, acknowledged by HTTP 200 (or 302) within 10 s; the body is ignored.
 */
export function unionpayNotifyProtocol(gatewayCert: string, gatewayKey: KeyObject): NotifyProtocol {
  return {
    retryDelaysMs: [0, 60_000, 120_000, 240_000],
    timeoutMs: 10_000,
    render(payload) {
      const { backUrl, fields } = payload as { backUrl: string; fields: Fields };
      return {
        url: backUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: new URLSearchParams(signAsGateway(fields, gatewayCert, gatewayKey)).toString(),
      };
    },
    acknowledged: (status) => status === 200 || status === 302,
  };
}
