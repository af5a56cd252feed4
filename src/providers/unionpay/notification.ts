import type { Clock } from '../../lib/clock.ts';
import type { InboundRequest, ParsedNotification, ReturnInfo } from '../provider.ts';
import { parseFormFields } from './acp-fields.ts';
import { respClass } from './acp-status.ts';
import type { TrustAnchors } from './gateway-cert.ts';
import { verifyGatewayMessage } from './verify-message.ts';

export interface NotificationContext {
  merId: string;
  anchors: TrustAnchors;
  clock: Clock;
}

const FEN = /^\d{1,12}$/;

/**
 * A backUrl notification (docs/protocols/unionpay.md#notifications): signature first, then merchant, then meaning.
 * UnionPay notifies successful transactions only and advises a query before money state moves, hence confirmByQuery.
 */
export function parseBackNotification(req: InboundRequest, ctx: NotificationContext): ParsedNotification {
  const f = parseFormFields(req.rawBody);
  const verified = verifyGatewayMessage(f, ctx.anchors, ctx.clock);
  if (!verified.ok)
    return {
      kind: 'rejected',
      reason: 'bad_signature',
      message: verified.message,
      ...(f.orderId ? { paymentNo: f.orderId } : {}),
    };
  if (f.merId !== ctx.merId) {
    return {
      kind: 'rejected',
      reason: 'merchant_mismatch',
      message: `merId ${f.merId ?? '(none)'} is not ${ctx.merId}`,
      ...(f.orderId ? { paymentNo: f.orderId } : {}),
    };
  }
  const { orderId, queryId, txnType, txnAmt, respCode } = f;
  if (!orderId || !queryId || !txnType || !txnAmt || !FEN.test(txnAmt)) {
    return { kind: 'rejected', reason: 'malformed', message: 'orderId, queryId, txnType or txnAmt missing or invalid' };
  }
  const eventId = `${orderId}:${queryId}`;
  if (respClass(respCode) !== 'success')
    return { kind: 'ignored', eventId, paymentNo: orderId, why: `respCode ${respCode ?? '(none)'} is not a success` };
  const amount = Number(txnAmt);
  if (txnType === '01') {
    return {
      kind: 'payment',
      eventId,
      paymentNo: orderId,
      state: 'succeeded',
      amount,
      providerTradeNo: queryId,
      paidAt: null,
      confirmByQuery: true,
    };
  }
  if (txnType === '04' || txnType === '31') {
    // A refund's (or undo's) notification names the refund by its own orderId and the consume only by
    // origQryId; the adapter sends the payment's number in reqReserved, which UnionPay echoes.
    return {
      kind: 'refund',
      eventId,
      paymentNo: f.reqReserved ?? '',
      refundNo: orderId,
      state: 'succeeded',
      amount,
      confirmByQuery: true,
    };
  }
  return { kind: 'ignored', eventId, paymentNo: orderId, why: `txnType ${txnType} is not handled` };
}

/**
 * The browser's POST to frontUrl carries the same signed fields: UI only, never money state
 * (docs/protocols/unionpay.md#front-url).
 */
export function parseFrontReturn(req: InboundRequest, ctx: NotificationContext): ReturnInfo {
  const f = req.method === 'POST' ? parseFormFields(req.rawBody) : Object.fromEntries(req.query);
  const verified = verifyGatewayMessage(f, ctx.anchors, ctx.clock).ok && f.merId === ctx.merId;
  return { paymentNo: f.orderId ?? null, verified, declined: verified && f.respCode !== '00' && f.respCode !== 'A6' };
}
