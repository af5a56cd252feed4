import type { WechatpayCredentials } from '../../config.ts';
import { beijingRfc3339, type Clock } from '../../lib/clock.ts';
import { assertMinorUnits } from '../../lib/money.ts';
import type { Logger } from '../../lib/log.ts';
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
import { downloadWechatpayBill } from './bill.ts';
import { createApiClient, isTransient, type ApiResult } from './client.ts';
import { parseTime, parseWechatpayNotification } from './notification.ts';
import { createInApp, isInAppChannel } from './in-app.ts';
import { createCertificateDownloader, type CertificateDownloader } from './platform-certificates.ts';
import { createRequestSigner, PlatformKeyRing } from './signing.ts';
import { isRefundStatus, isTradeState, mapRefundStatus, mapTradeState } from './status.ts';

export interface WechatpayDeps {
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
}

/** The verifiers configured: the public key under its ID, and each configured platform certificate. */
export function platformKeyRing(creds: WechatpayCredentials, clock: Clock): PlatformKeyRing {
  const ring = new PlatformKeyRing(() => clock.now());
  if (creds.platformKeyId && creds.platformPublicKey) ring.add(creds.platformKeyId, creds.platformPublicKey);
  for (const pem of creds.platformCerts ?? []) ring.addCertificate(pem);
  return ring;
}

const H5_URL_LIFETIME_MS = 5 * 60_000;
const H5_URL_MARGIN_MS = 30_000;

/**
 * Characters WeChat is sure to accept for out_trade_no, whichever doc is right about `|`
 * (docs/protocols/wechatpay.md#orders, docs/protocols/wechatpay.md#u13).
 */
const OUT_TRADE_NO = /^[A-Za-z0-9_\-*]{6,32}$/;

export function createWechatpayProvider(creds: WechatpayCredentials, deps: WechatpayDeps): PaymentProvider {
  const log = deps.log.child({ provider: 'wechatpay' });
  const platformKeys = platformKeyRing(creds, deps.clock);
  let downloader: CertificateDownloader | undefined;
  const api = createApiClient({
    baseUrl: creds.baseUrl,
    signer: createRequestSigner(creds.mchId, creds.certSerial, creds.privateKey),
    platformKeys,
    clock: deps.clock,
    log,
    timeoutMs: deps.timeoutMs ?? 10_000,
    beforeVerify: (serial) => downloader?.beforeVerify(serial) ?? Promise.resolve(),
    beforeRequest: () => downloader?.beforeRequest() ?? Promise.resolve(),
  });
  // Platform certificate mode (alone or migrating): the certificates are learnt and refreshed from WeChat.
  if (creds.platformCerts !== undefined)
    downloader = createCertificateDownloader({
      api,
      apiV3Key: creds.apiV3Key,
      ring: platformKeys,
      clock: deps.clock,
      log,
    });
  const unknown = (r: Extract<ApiResult, { kind: 'unknown' }>) => ({
    kind: 'unknown' as const,
    reason: r.reason,
    message: r.message,
  });
  const inApp = createInApp(creds, { clock: deps.clock, timeoutMs: deps.timeoutMs ?? 10_000, log });
  const tradePath = (no: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(no)}`;

  async function createPayment(input: CreatePaymentInput): Promise<CreateResult> {
    assertMinorUnits(input.amount);
    const inAppOrder = isInAppChannel(input.channel) ? inApp.order(input.channel, input.payer?.openid) : undefined;
    if (input.channel !== 'qr' && input.channel !== 'h5' && !inAppOrder)
      return { kind: 'failed', reason: 'unsupported_channel', message: `channel ${input.channel}` };
    if (input.currency !== 'CNY')
      return { kind: 'failed', reason: 'unsupported_currency', message: 'WeChat Pay settles in CNY only' };
    if (!OUT_TRADE_NO.test(input.paymentNo))
      return { kind: 'failed', reason: 'invalid_payment_no', message: 'out_trade_no must be 6-32 of [A-Za-z0-9_-*]' };
    if (new URL(input.notifyUrl).search)
      return { kind: 'failed', reason: 'invalid_notify_url', message: 'notify_url must not carry a query' };
    const body: Record<string, unknown> = {
      appid: inAppOrder?.appId ?? creds.appId,
      mchid: creds.mchId,
      description: [...input.subject].slice(0, 127).join(''),
      out_trade_no: input.paymentNo,
      time_expire: beijingRfc3339(input.expiresAt),
      notify_url: input.notifyUrl,
      amount: { total: input.amount, currency: 'CNY' },
    };
    if (input.channel === 'h5') body.scene_info = { payer_client_ip: input.clientIp, h5_info: { type: 'Wap' } };
    Object.assign(body, inAppOrder?.extra);
    const path = inAppOrder?.path ?? `/v3/pay/transactions/${input.channel === 'qr' ? 'native' : 'h5'}`;
    const r = await api.call('POST', path, body);
    if (r.kind === 'unknown') return unknown(r);
    if (r.kind === 'error') {
      return isTransient(r)
        ? { kind: 'unknown', reason: r.code, message: r.message }
        : { kind: 'failed', reason: r.code, message: r.message };
    }
    if (inAppOrder && isInAppChannel(input.channel)) {
      const prepayId = r.body?.prepay_id;
      if (typeof prepayId !== 'string')
        return { kind: 'unknown', reason: 'malformed_response', message: 'no prepay_id' };
      return inApp.action(input.channel, inAppOrder.appId, prepayId);
    }
    if (input.channel === 'qr') {
      const codeUrl = r.body?.code_url;
      if (typeof codeUrl !== 'string') return { kind: 'unknown', reason: 'malformed_response', message: 'no code_url' };
      return { kind: 'created', action: { type: 'qr', content: codeUrl } };
    }
    const h5Url = r.body?.h5_url;
    if (typeof h5Url !== 'string') return { kind: 'unknown', reason: 'malformed_response', message: 'no h5_url' };
    // WeChat sends the browser back only to a redirect_url appended to h5_url (docs/protocols/wechatpay.md#h5); no
    // signed return exists.
    const back = `${input.returnUrl}?paymentNo=${encodeURIComponent(input.paymentNo)}`;
    const url = `${h5Url}${h5Url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(back)}`;
    // An h5_url lives 5 minutes (H5下单 doc); renewed a little early so the customer has time to open it.
    const expiresAt = new Date(deps.clock.now().getTime() + H5_URL_LIFETIME_MS - H5_URL_MARGIN_MS).toISOString();
    return {
      kind: 'created',
      action: { type: 'redirect', url, expiresAt, renewWith: { clientIp: input.clientIp } },
    };
  }

  async function queryPayment(ref: AttemptRef): Promise<PaymentState> {
    const r = await api.call('GET', `${tradePath(ref.paymentNo)}?mchid=${encodeURIComponent(creds.mchId)}`);
    if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
    // Until the order reaches WeChat (or a create timed out before it did) there is nothing to find yet.
    if (r.kind === 'error')
      return r.status === 404 && r.code === 'ORDER_NOT_EXIST'
        ? { kind: 'pending' }
        : { kind: 'unknown', reason: r.code };
    const t = r.body ?? {};
    if (t.mchid !== creds.mchId || t.out_trade_no !== ref.paymentNo || !isTradeState(t.trade_state)) {
      return { kind: 'unknown', reason: 'unexpected_transaction' };
    }
    switch (mapTradeState(t.trade_state)) {
      case 'pending':
        return { kind: 'pending' };
      case 'closed':
        return { kind: 'closed' };
      case 'failed':
        return { kind: 'failed', reason: typeof t.trade_state_desc === 'string' ? t.trade_state_desc : t.trade_state };
      case 'succeeded': {
        const total = (t.amount as { total?: unknown } | undefined)?.total;
        if (typeof t.transaction_id !== 'string' || !Number.isSafeInteger(total))
          return { kind: 'unknown', reason: 'unexpected_transaction' };
        return {
          kind: 'succeeded',
          providerTradeNo: t.transaction_id,
          amount: total as number,
          paidAt: parseTime(t.success_time),
        };
      }
    }
  }

  async function closePayment(ref: AttemptRef): Promise<CloseResult> {
    const r = await api.call('POST', `${tradePath(ref.paymentNo)}/close`, { mchid: creds.mchId });
    if (r.kind === 'unknown') return { kind: 'unknown', reason: r.reason };
    if (r.kind === 'ok') return { kind: 'closed' };
    if (r.code === 'ORDER_PAID' || r.code === 'ORDERPAID') return { kind: 'already_paid' };
    // Closing is re-entrant; an order WeChat never received can never be paid either.
    if (r.code === 'ORDER_CLOSED' || r.code === 'ORDER_NOT_EXIST') return { kind: 'closed' };
    return { kind: 'unknown', reason: r.code };
  }

  function refundState(r: ApiResult, refundNo: string): RefundState {
    if (r.kind === 'unknown') return unknown(r);
    if (r.kind === 'error') {
      if (r.status === 404 && r.code === 'RESOURCE_NOT_EXISTS') return { kind: 'not_found' };
      return isTransient(r)
        ? { kind: 'unknown', reason: r.code, message: r.message }
        : { kind: 'failed', reason: r.code, message: r.message };
    }
    const body = r.body ?? {};
    if (body.out_refund_no !== refundNo || !isRefundStatus(body.status))
      return { kind: 'unknown', reason: 'unexpected_refund', message: 'refund answer does not match' };
    const providerRefundNo = typeof body.refund_id === 'string' ? body.refund_id : null;
    const state = mapRefundStatus(body.status);
    if (state === 'failed') return { kind: 'failed', reason: body.status, message: 'refund closed by WeChat Pay' };
    return { kind: state, providerRefundNo };
  }

  async function refund(input: RefundInput): Promise<RefundState> {
    assertMinorUnits(input.amount);
    const body = {
      out_trade_no: input.payment.paymentNo,
      out_refund_no: input.refundNo,
      reason: [...input.reason].slice(0, 80).join(''),
      notify_url: input.notifyUrl,
      amount: { refund: input.amount, total: input.payment.amount, currency: 'CNY' },
    };
    const r = await api.call('POST', '/v3/refund/domestic/refunds', body);
    // 404 on create means the order is unknown, a final refusal, not "refund not found".
    if (r.kind === 'error' && r.status === 404) return { kind: 'failed', reason: r.code, message: r.message };
    return refundState(r, input.refundNo);
  }

  async function queryRefund(input: RefundInput): Promise<RefundState> {
    // A refund create refused with 4xx left nothing at WeChat: the query then answers not_found, which is right.
    return refundState(
      await api.call('GET', `/v3/refund/domestic/refunds/${encodeURIComponent(input.refundNo)}`),
      input.refundNo,
    );
  }

  return {
    method: 'wechatpay',
    channels: ['qr', 'h5', ...inApp.channels],
    refundResend: 'same_number',
    payer: inApp.payer,
    merchantId: creds.mchId,
    createPayment,
    queryPayment,
    closePayment,
    refund,
    queryRefund,
    async parseNotification(req) {
      await downloader?.beforeVerify(req.headers.get('wechatpay-serial'));
      return parseWechatpayNotification(
        { mchId: creds.mchId, appIds: inApp.appIds, apiV3Key: creds.apiV3Key, platformKeys, clock: deps.clock },
        req,
      );
    },
    acknowledge(accepted, reason) {
      if (accepted) return new Response(null, { status: 204 });
      // WeChat only needs a 4xx/5xx with {code:"FAIL"}; 5xx where the fault is ours, so it keeps retrying.
      const status = reason === undefined || reason === 'internal' ? 500 : 400;
      return Response.json({ code: 'FAIL', message: reason ?? 'failed' }, { status });
    },
    async parseReturn(req) {
      return { paymentNo: req.query.get('paymentNo') || null, verified: false };
    },
    downloadBill: (date) => downloadWechatpayBill(api, date),
  };
}
