import { isUnverified } from './stored-body.ts';
import type { Db, Sql } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { failpoint } from '../lib/failpoints.ts';
import type { Logger } from '../lib/log.ts';
import type { Metrics } from '../http/observability.ts';
import type { PaymentStateService } from '../payments/payment-state.service.ts';
import { findPayment } from '../payments/payments.repository.ts';
import { toAttemptRef } from '../payments/attempt-ref.ts';
import type { InboundRequest, ParsedNotification, PaymentProvider } from '../providers/provider.ts';
import { recordNotification, type NotificationOutcome } from './notifications.repository.ts';

/**
 * What to do with a notification. `apply` runs in one transaction with the delivery's record, so a crash
 * cannot leave a change applied but its delivery unrecorded, nor recorded but not applied. Whatever asks a
 * provider (a confirming query) happens while judging, before that transaction opens.
 */
export type Verdict = {
  outcome: NotificationOutcome;
  reason?: string;
  message?: string;
  apply?: (sql: Sql) => Promise<'applied' | 'duplicate'>;
};

/** Judges the refund events that notifications carry (the refund feature); its `apply` joins our transaction. */
export type RefundEventHandler = (
  provider: PaymentProvider,
  event: Extract<ParsedNotification, { kind: 'refund' }>,
) => Promise<Verdict>;

/** What became of one delivery: the HTTP layer turns it into the provider's acknowledgement; replay reports it. */
export interface NotificationResult {
  /** The delivery's row in `notifications`; null when it was not recorded (an unverifiable one past its sender's limit). */
  id: number | null;
  outcome: NotificationOutcome;
  reason?: string | undefined;
  message?: string | undefined;
}

/** Headers kept with each notification: the provider's own (signature, serial …), never cookies. */
const keptHeaders = (h: Headers) =>
  Object.fromEntries([...h.entries()].filter(([k]) => k.startsWith('wechatpay-') || k === 'content-type'));

/**
 * Verify, record, apply, acknowledge (docs/architecture.md#notifications). The adapter verifies the signature first;
 * then the attempt and the amount are checked against ours; the state change is a guarded update, so a redelivery is
 * recorded as a duplicate and changes nothing.
 */
export function createNotificationsService(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  metrics: Metrics;
  state: PaymentStateService;
  onRefundEvent: RefundEventHandler;
}) {
  const { db, clock, state } = deps;

  async function judge(provider: PaymentProvider, parsed: ParsedNotification): Promise<Verdict> {
    switch (parsed.kind) {
      case 'rejected':
        return { outcome: 'rejected', reason: parsed.reason, message: parsed.message };
      case 'ignored':
        return { outcome: 'duplicate', message: parsed.why };
      case 'refund':
        return deps.onRefundEvent(provider, parsed);
      case 'payment': {
        const payment = await findPayment(db, parsed.paymentNo);
        if (!payment || payment.method !== provider.method) {
          return { outcome: 'rejected', reason: 'unknown_order', message: `no attempt ${parsed.paymentNo}` };
        }
        if (parsed.amount !== payment.amount) {
          return {
            outcome: 'rejected',
            reason: 'amount_mismatch',
            message: `notified ${parsed.amount}, attempt is ${payment.amount}`,
          };
        }
        if (parsed.state === 'closed')
          return { outcome: 'applied', apply: (sql) => state.close(sql, parsed.paymentNo, 'closed') };
        if (payment.status === 'succeeded') return { outcome: 'duplicate' };
        if (parsed.confirmByQuery) {
          // The provider advises asking before money state moves (docs/protocols/unionpay.md#notification-ack).
          const confirmed = await provider.queryPayment(toAttemptRef(payment));
          if (confirmed.kind !== 'succeeded' || confirmed.amount !== payment.amount) {
            return { outcome: 'rejected', reason: 'unconfirmed', message: `query says ${confirmed.kind}` };
          }
        }
        return { outcome: 'applied', apply: (sql) => state.succeed(sql, parsed.paymentNo, parsed) };
      }
    }
  }

  return {
    /**
     * `unverifiedUnrecorded`: the sender is past its limit of unverifiable notifications, so one that does not
     * verify is refused unrecorded (`rate_limited`); one that verifies is applied as always, since a provider's
     * genuine notifications share their sending address with its deliberately unverifiable signature probes.
     */
    async receive(
      provider: PaymentProvider,
      req: InboundRequest,
      opts: { unverifiedUnrecorded?: boolean } = {},
    ): Promise<NotificationResult> {
      const receivedAt = clock.now();
      const parsed = await provider.parseNotification(req);
      const { apply, ...judged } = await judge(provider, parsed);
      if (opts.unverifiedUnrecorded && judged.outcome === 'rejected' && isUnverified(judged.reason)) {
        deps.metrics.notifications.inc({ provider: provider.method, outcome: 'rejected' });
        return { id: null, outcome: 'rejected', reason: 'rate_limited', message: judged.message };
      }
      // One transaction per verdict: the change (if any) and the delivery's record commit together.
      const result = await db.tx(async (sql): Promise<NotificationResult> => {
        const outcome = apply ? await apply(sql) : judged.outcome;
        const id = await recordNotification(sql, {
          provider: provider.method,
          receivedAt,
          ...judged,
          outcome,
          kind: parsed.kind,
          eventId: 'eventId' in parsed ? parsed.eventId : undefined,
          outTradeNo: parsed.paymentNo,
          headers: keptHeaders(req.headers),
          rawBody: req.rawBody,
          sourceIp: req.sourceIp,
        });
        if (apply) failpoint('notification.before_commit');
        return { id, outcome, reason: judged.reason, message: judged.message };
      });
      deps.metrics.notifications.inc({ provider: provider.method, outcome: result.outcome });
      if (result.outcome === 'rejected') {
        deps.log.warn(
          { provider: provider.method, reason: result.reason, paymentNo: parsed.paymentNo },
          'notification rejected',
        );
      }
      return result;
    },

    /** The provider's acknowledgement of a result: accepted for applied and duplicate, refused for rejected. */
    acknowledge: (provider: PaymentProvider, result: NotificationResult): Response =>
      provider.acknowledge(result.outcome !== 'rejected', result.reason),
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
