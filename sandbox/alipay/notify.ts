import { beijingDateTime } from '../../src/lib/clock.ts';
import { toYuanString } from '../../src/lib/money.ts';
import type { NotifyProtocol } from '../shared/notifier.ts';
import { NOTIFY_UNSIGNED, rsa2Sign, signContent } from './signing.ts';
import { newNotifyId, type SandboxRefund, type SandboxTrade } from './trades.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

export interface AlipayNotifyPayload {
  url: string;
  /** Everything but notify_time, sign_type and sign, which each send fills in. */
  fields: Record<string, string>;
  /** Scripted fault: every send of this notification carries a signature over other content. */
  badSignature?: boolean;
}

/**
 * docs/protocols/alipay.md#notifications: form-encoded, signed with the sandbox's Alipay key over all fields but sign
 * and sign_type, acknowledged only by the exact body `success`, retried at 4m,10m,10m,1h,2h,6h,15h (A1; the newer "3
 * immediate retries" of A2 is not simulated, see docs/sandbox/alipay.md).
 */
export function alipayNotifyProtocol(alipayPrivateKey: string): NotifyProtocol {
  return {
    retryDelaysMs: [4 * MIN, 10 * MIN, 10 * MIN, HOUR, 2 * HOUR, 6 * HOUR, 15 * HOUR],
    timeoutMs: 15_000,
    render(payload, now) {
      const p = payload as unknown as AlipayNotifyPayload;
      const fields: Record<string, string> = { ...p.fields, notify_time: beijingDateTime(now), sign_type: 'RSA2' };
      const content = signContent(fields, NOTIFY_UNSIGNED, { keepEmpty: true });
      fields.sign = rsa2Sign(p.badSignature ? `${content}&forged=1` : content, alipayPrivateKey);
      return {
        url: p.url,
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
        body: new URLSearchParams(fields).toString(),
      };
    },
    acknowledged: (status, body) => status === 200 && body === 'success',
  };
}

/** The trade_status_sync fields for the trade as it is now; a refund adds refund_fee, gmt_refund, out_biz_no. */
export function tradeNotifyFields(
  t: SandboxTrade,
  sellerId: string,
  refund?: SandboxRefund,
  emptyFields: 'send' | 'omit' = 'omit',
): Record<string, string> {
  const total = toYuanString(t.totalFen);
  const paid = t.gmtPayment !== null;
  const fields: Record<string, string | null> = {
    notify_type: 'trade_status_sync',
    notify_id: newNotifyId(),
    app_id: t.appId,
    auth_app_id: t.appId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: t.tradeNo,
    out_trade_no: t.outTradeNo,
    buyer_id: t.buyerId,
    buyer_logon_id: t.buyerLogonId,
    seller_id: sellerId,
    trade_status: t.status,
    total_amount: total,
    receipt_amount: paid ? total : null,
    invoice_amount: paid ? total : null,
    buyer_pay_amount: paid ? total : null,
    point_amount: paid ? '0.00' : null,
    subject: t.subject,
    gmt_create: t.gmtCreate,
    gmt_payment: t.gmtPayment,
    gmt_close: t.gmtClose,
    fund_bill_list: paid ? JSON.stringify([{ amount: total, fundChannel: 'ALIPAYACCOUNT' }]) : null,
    // The one optional field a trade may have no value for that is sent as `key=` in `send` mode (modes.ts).
    passback_params: t.passbackParams ?? (emptyFields === 'send' ? '' : null),
    refund_fee: refund ? toYuanString(t.refundFen) : null,
    gmt_refund: refund ? `${refund.gmtRefund}.000` : null,
    out_biz_no: refund ? refund.outRequestNo : null,
  };
  // null: not part of this notification; '' is sent as `key=` and signed so (signing.ts).
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== null));
}
