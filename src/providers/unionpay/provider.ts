import type { UnionpayCredentials } from '../../config.ts';
import { beijingCompact, type Clock } from '../../lib/clock.ts';
import { assertMinorUnits } from '../../lib/money.ts';
import type { Logger } from '../../lib/log.ts';
import type { AttemptRef, CloseResult, PaymentProvider, PaymentState, RefundInput, RefundState } from '../provider.ts';
import { createAcpClient, signRequest, type BackAnswer } from './acp-client.ts';
import type { AcpFields } from './acp-fields.ts';
import { certIdOf } from './acp-signature.ts';
import { mapAcpStatus } from './acp-status.ts';
import { autoSubmitForm } from './consume-form.ts';
import { appConsume } from './app-consume.ts';
import { trustAnchors } from './gateway-cert.ts';
import { parseBackNotification, parseFrontReturn } from './notification.ts';
import { downloadSettlementFile } from './settlement-file.ts';

export interface UnionpayDeps {
  clock: Clock;
  log: Logger;
  timeoutMs?: number;
  /**
   * CN owner check of the gateway's certificate (docs/protocols/unionpay.md#gateway-certificate); off only for
   * UnionPay's own test certificates.
   */
  checkCertOwner?: boolean;
  /**
   * AttemptRef does not carry the order's expiry, so payTimeout is capped at createdAt + this, and a
   * query answering 34 later than that means the consume never reached UnionPay and never will.
   */
  maxPayWindowMs?: number;
}

/**
 * How long a signed consume form is served: its txnTime is the attempt's createdAt, and the gateway refuses a
 * txnTime far from its clock ("txnTime无效"; how far is not published, docs/protocols/unionpay.md#times). Well
 * inside any tolerance, so a form served just before this still reaches the gateway in time.
 */
export const CONSUME_FORM_TTL_MS = 5 * 60_000;

const COMMON = { version: '5.1.0', encoding: 'UTF-8', bizType: '000201', accessType: '0' } as const;
const ORDER_ID = /^[0-9A-Za-z]{8,40}$/;
const PATHS = {
  front: '/gateway/api/frontTransReq.do',
  back: '/gateway/api/backTransReq.do',
  query: '/gateway/api/queryTrans.do',
} as const;

/** The UnionPay ACP 5.1.0 online gateway (signMethod 01, certificates): the web consume (`page`) and the app's (`app`). */
export function createUnionpayProvider(creds: UnionpayCredentials, deps: UnionpayDeps): PaymentProvider {
  const certId = certIdOf(creds.signCert);
  const anchors = trustAnchors(creds.rootCert, creds.middleCert, deps.checkCertOwner ?? true);
  const maxPayWindowMs = deps.maxPayWindowMs ?? 24 * 3600_000;
  const post = createAcpClient({
    gateway: creds.gateway,
    signKey: creds.signKey,
    certId,
    anchors,
    clock: deps.clock,
    log: deps.log,
    timeoutMs: deps.timeoutMs ?? 10_000,
  });
  // Settlement files come from their own host (acpsdk.fileTransUrl), posted to that URL as it is.
  const postFile = createAcpClient({
    gateway: creds.fileUrl,
    signKey: creds.signKey,
    certId,
    anchors,
    clock: deps.clock,
    log: deps.log,
    timeoutMs: deps.timeoutMs ?? 10_000,
  });
  const ctx = { merId: creds.merId, anchors, clock: deps.clock };
  const payDeadline = (createdAt: Date, expiresAt: Date) =>
    new Date(Math.min(expiresAt.getTime(), createdAt.getTime() + maxPayWindowMs));
  const queryFields = (orderId: string, createdAt: Date): AcpFields => ({
    ...COMMON,
    txnType: '00',
    txnSubType: '00',
    merId: creds.merId,
    orderId,
    txnTime: beijingCompact(createdAt),
  });
  const why = (a: Exclude<BackAnswer, { ok: true }>) => `${a.reason}: ${a.message}`;

  async function queryPayment(ref: AttemptRef): Promise<PaymentState> {
    const answer = await post(PATHS.query, queryFields(ref.paymentNo, ref.createdAt));
    if (!answer.ok) return { kind: 'unknown', reason: why(answer) };
    const f = answer.fields;
    // The payTimeout sent was min(order expiry, createdAt + window); without the expiry, the window is the
    // latest it can be, so a failure is never taken as final too early.
    const payTimeout = ref.payBy
      ? payDeadline(ref.createdAt, ref.payBy)
      : new Date(ref.createdAt.getTime() + maxPayWindowMs);
    const pastPayTimeout = deps.clock.now().getTime() > payTimeout.getTime();
    const status = mapAcpStatus({
      op: 'payment_query',
      respCode: f.respCode ?? '',
      origRespCode: f.origRespCode,
      pastPayTimeout,
    });
    switch (status) {
      case 'succeeded':
        // A success without its queryId or a fen amount cannot be applied: ask again rather than guess.
        if (!f.queryId || !/^\d{1,12}$/.test(f.txnAmt ?? ''))
          return { kind: 'unknown', reason: 'success without queryId or txnAmt' };
        return { kind: 'succeeded', providerTradeNo: f.queryId, amount: Number(f.txnAmt), paidAt: null };
      case 'pending':
        return { kind: 'pending' };
      case 'closed':
        return { kind: 'closed' };
      case 'failed':
        return { kind: 'failed', reason: `origRespCode ${f.origRespCode}: ${f.origRespMsg ?? ''}` };
      default:
        return { kind: 'unknown', reason: `respCode ${f.respCode}: ${f.respMsg ?? ''}` };
    }
  }

  async function queryRefund(input: RefundInput): Promise<RefundState> {
    const answer = await post(PATHS.query, queryFields(input.refundNo, input.sentAt ?? input.createdAt));
    if (!answer.ok) return { kind: 'unknown', reason: answer.reason, message: answer.message };
    const f = answer.fields;
    const status = mapAcpStatus({ op: 'refund_query', respCode: f.respCode ?? '', origRespCode: f.origRespCode });
    const providerRefundNo = f.queryId ?? null;
    switch (status) {
      case 'succeeded':
        return { kind: 'succeeded', providerRefundNo };
      case 'processing':
        return { kind: 'processing', providerRefundNo };
      case 'not_found':
        return { kind: 'not_found' };
      case 'failed':
        return { kind: 'failed', reason: `origRespCode_${f.origRespCode}`, message: f.origRespMsg ?? '' };
      default:
        return { kind: 'unknown', reason: `respCode_${f.respCode}`, message: f.respMsg ?? '' };
    }
  }

  return {
    method: 'unionpay',
    channels: ['page', 'app'],
    refundResend: 'new_number',
    merchantId: creds.merId,

    async createPayment(input) {
      assertMinorUnits(input.amount);
      if (input.channel !== 'page' && input.channel !== 'app')
        return {
          kind: 'failed',
          reason: 'unsupported_channel',
          message: `UnionPay serves channels page and app, not ${input.channel}`,
        };
      if (input.currency !== 'CNY')
        return {
          kind: 'failed',
          reason: 'unsupported_currency',
          message: `UnionPay consume here is CNY only, not ${input.currency}`,
        };
      if (!ORDER_ID.test(input.paymentNo))
        return { kind: 'failed', reason: 'invalid_order_id', message: 'orderId must be 8–40 letters or digits' };
      if (input.amount < 1)
        return { kind: 'failed', reason: 'invalid_amount', message: 'txnAmt must be at least 1 fen' };
      if (input.channel === 'app') {
        const payTimeout = payDeadline(input.createdAt, input.expiresAt);
        return appConsume(post, { merId: creds.merId, gateway: creds.gateway, payTimeout }, input);
      }
      const fields = signRequest(
        {
          ...COMMON,
          txnType: '01',
          txnSubType: '01',
          channelType: '07',
          merId: creds.merId,
          orderId: input.paymentNo,
          txnTime: beijingCompact(input.createdAt),
          txnAmt: String(input.amount),
          currencyCode: '156',
          frontUrl: input.returnUrl,
          backUrl: input.notifyUrl.split('?')[0]!,
          payTimeout: beijingCompact(payDeadline(input.createdAt, input.expiresAt)),
        },
        creds.signKey,
        certId,
      );
      return {
        kind: 'created',
        action: {
          type: 'form',
          html: autoSubmitForm(`${creds.gateway}${PATHS.front}`, fields),
          expiresAt: new Date(input.createdAt.getTime() + CONSUME_FORM_TTL_MS).toISOString(),
        },
      };
    },

    queryPayment,

    /**
     * ACP has no close for a consume: the payTimeout sent with the order makes the gateway refuse it
     * afterwards. So close answers from a query: paid → already_paid, otherwise closed.
     */
    async closePayment(ref): Promise<CloseResult> {
      const state = await queryPayment(ref);
      if (state.kind === 'succeeded') return { kind: 'already_paid' };
      if (state.kind === 'unknown') return { kind: 'unknown', reason: state.reason };
      return { kind: 'closed' };
    },

    async refund(input) {
      assertMinorUnits(input.amount);
      const answer = await post(PATHS.back, {
        ...COMMON,
        txnType: '04',
        txnSubType: '00',
        channelType: '07',
        merId: creds.merId,
        orderId: input.refundNo,
        // The time of sending, not of the customer's application: the gateway refuses a txnTime far from
        // its clock (ACPSample: 订单发送时间, 取北京时间), and review may take days.
        txnTime: beijingCompact(input.sentAt ?? input.createdAt),
        txnAmt: String(input.amount),
        currencyCode: '156',
        origQryId: input.payment.providerTradeNo,
        backUrl: input.notifyUrl.split('?')[0]!,
        // Echoed in the refund's notification, which otherwise names the consume only by origQryId.
        reqReserved: input.payment.paymentNo,
      });
      if (!answer.ok) return { kind: 'unknown', reason: answer.reason, message: answer.message };
      const f = answer.fields;
      const status = mapAcpStatus({ op: 'refund_sync', respCode: f.respCode ?? '' });
      if (status === 'processing') return { kind: 'processing', providerRefundNo: f.queryId ?? null };
      if (status === 'failed') return { kind: 'failed', reason: `respCode_${f.respCode}`, message: f.respMsg ?? '' };
      return { kind: 'unknown', reason: `respCode_${f.respCode}`, message: f.respMsg ?? '' };
    },

    queryRefund,

    async parseNotification(req) {
      try {
        return parseBackNotification(req, ctx);
      } catch (err) {
        deps.log.error({ err: String(err) }, 'unionpay notification parsing failed');
        return { kind: 'rejected', reason: 'malformed', message: 'unparseable notification' };
      }
    },

    acknowledge(accepted) {
      // UnionPay reads only the status (200 or 302) and retries otherwise; the demo answers `ok`.
      return new Response(accepted ? 'ok' : 'refused', {
        status: accepted ? 200 : 400,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
      });
    },

    async parseReturn(req) {
      try {
        return parseFrontReturn(req, ctx);
      } catch {
        return { paymentNo: null, verified: false };
      }
    },

    downloadBill: (date) => downloadSettlementFile(postFile, { merId: creds.merId, clock: deps.clock }, date),
  };
}
