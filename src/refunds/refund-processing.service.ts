import { followUpDelayMs } from '../job-kinds.ts';
import type { Db, Sql } from '../db/client.ts';
import type { Clock } from '../lib/clock.ts';
import { failpoint } from '../lib/failpoints.ts';
import { merchantNo } from '../lib/ids.ts';
import { enqueue, type JobOutcome } from '../lib/jobs.ts';
import type { Logger } from '../lib/log.ts';
import { addRefundToOrder } from '../orders/order-state.ts';
import type { PaymentRow } from '../payments/payment.ts';
import { toAttemptRef } from '../payments/attempt-ref.ts';
import { lockSurplusPayment } from '../payments/payments.repository.ts';
import type { ParsedNotification, PaymentProvider, RefundInput, RefundState } from '../providers/provider.ts';
import { providerFor, type Providers } from '../providers/registry.ts';
import { PROVIDER, record, settleOrderIfIdle, SYSTEM, tellCustomer } from './refund-history.ts';
import * as repo from './refunds.repository.ts';
import { DRIVE_REFUND_JOB, move } from './refunds.service.ts';

type RefundWithPayment = repo.RefundWithPayment;

/** What a notification's refund event comes to (the notifications feature's Verdict, by shape). */
export type RefundEventVerdict =
  | { outcome: 'rejected'; reason: string; message: string }
  | { outcome: 'duplicate' }
  | { outcome: 'applied'; apply: (sql: Sql) => Promise<'applied' | 'duplicate'> };

/** How long a refund the provider has not heard of may be sent again with the same number. */
const RESEND_WINDOW_MS = 24 * 3600_000;

/**
 * The provider half of a refund: send it (number saved long before), learn its result synchronously, by
 * notification or by query, and apply that result once. A timeout or an unknown answer is resolved by
 * asking the provider, never by sending a new refund.
 */
export function createRefundProcessing(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  providers: Providers;
  publicUrl: string;
}) {
  const { db, clock } = deps;

  async function load(refundNo: string): Promise<RefundWithPayment | undefined> {
    const row = await repo.findRefundWithPayment(db, refundNo);
    if (!row) return undefined;
    const p = row.payment as unknown as Record<string, string>;
    // row_to_json gives timestamps as text; the provider needs the attempt's creation time (UnionPay txnTime).
    row.payment = { ...row.payment, created_at: new Date(p.created_at!) } as PaymentRow;
    return row;
  }

  /** `sentAt` names the request at the provider (UnionPay txnTime): the saved one, or the one being sent now. */
  const inputOf = (r: RefundWithPayment, sentAt: Date | null = r.sent_at): RefundInput => ({
    refundNo: r.refund_no,
    createdAt: r.created_at,
    sentAt: sentAt ?? r.created_at,
    amount: r.amount,
    reason: r.reason,
    payment: { ...toAttemptRef(r.payment), providerTradeNo: r.payment.provider_trade_no ?? '' },
    notifyUrl: `${deps.publicUrl}/notify/${r.payment.method}`,
  });

  /** Applies a provider's answer in its own transaction; answers whether anything changed. */
  const applyResult = (refundNo: string, result: RefundState, actor = PROVIDER) =>
    db.tx((sql) => applyResultIn(sql, refundNo, result, actor));

  /** Applies a provider's answer in the caller's transaction (a notification's verdict). */
  async function applyResultIn(
    sql: Sql,
    refundNo: string,
    result: RefundState,
    actor = PROVIDER,
  ): Promise<'applied' | 'duplicate'> {
    if (result.kind !== 'succeeded' && result.kind !== 'failed') return 'duplicate';
    const refund = await repo.findRefundWithOrder(sql, refundNo, { lock: true });
    if (!refund || refund.status !== 'processing') return 'duplicate';
    const now = clock.now();
    if (result.kind === 'failed') {
      const failed = await move(sql, refund, 'failed', actor, 'failed', now, result.message, {
        failure_reason: result.reason,
      });
      await tellCustomer(sql, failed, refund.order_no, 'refund_failed', now, result.message);
      return 'applied';
    }
    const done = await move(sql, refund, 'succeeded', actor, 'succeeded', now, null, {
      finished_at: now,
      provider_refund_no: result.providerRefundNo,
    });
    if (!refund.automatic) {
      await addRefundToOrder(sql, refund.order_id, refund.amount, now);
      await settleOrderIfIdle(sql, refund.order_id, refund.id, now);
    }
    await tellCustomer(
      sql,
      done,
      refund.order_no,
      'refund_succeeded',
      now,
      refund.automatic ? 'returned automatically' : null,
    );
    return 'applied';
  }

  /**
   * The job that moves an approved refund on: send it, or ask about it, until the provider gives a final
   * answer. `sent_at` is set before each send, so after a crash the job asks instead of sending blind;
   * a staff retry clears it to send once more, with the same refund number.
   */
  async function drive(refundNo: string): Promise<JobOutcome> {
    const r = await load(refundNo);
    if (!r || (r.status !== 'approved' && r.status !== 'processing')) return;
    const provider = providerFor(deps.providers, r.payment.method);
    const now = clock.now();
    let result: RefundState;
    if (r.status === 'approved' || !r.sent_at) {
      await db.tx(async (sql) => {
        if (r.status === 'approved') await move(sql, r, 'processing', SYSTEM, 'sent', now, null, { sent_at: now });
        else await repo.markSent(sql, r.id, now);
      });
      result = await provider.refund(inputOf(r, now));
    } else {
      result = await provider.queryRefund(inputOf(r));
      if (result.kind === 'not_found' && now.getTime() - r.sent_at.getTime() < RESEND_WINDOW_MS) {
        // The provider never received it: the same refund number again is the same request.
        result = await provider.refund(inputOf(r));
      }
    }
    failpoint('refund.after_provider_call');
    deps.log.info({ refundNo, result: result.kind }, 'refund at provider');
    await applyResult(refundNo, result);
    if (result.kind === 'succeeded' || result.kind === 'failed') return;
    const age = now.getTime() - (r.sent_at ?? now).getTime();
    return { again: new Date(now.getTime() + followUpDelayMs('refund.drive', age)) };
  }

  /**
   * A refund event carried by a notification: verified already; matched and confirmed here (a query, when the
   * provider advises one, is asked now), applied by the verdict's `apply` in the notification's transaction.
   */
  async function onRefundEvent(
    provider: PaymentProvider,
    event: Extract<ParsedNotification, { kind: 'refund' }>,
  ): Promise<RefundEventVerdict> {
    const candidates = event.refundNo
      ? [await load(event.refundNo)]
      : await repo
          .processingRefundsOfPayment(db, event.paymentNo)
          .then((rows) => Promise.all(rows.map((x) => load(x.refund_no))));
    // Some refund notifications do not name the payment (UnionPay's carries only origQryId): the refund
    // number then identifies it alone.
    const refunds = candidates.filter(
      (r): r is RefundWithPayment => !!r && (!event.paymentNo || r.payment.payment_no === event.paymentNo),
    );
    if (refunds.length === 0)
      return {
        outcome: 'rejected',
        reason: 'unknown_refund',
        message: `no refund ${event.refundNo ?? 'in flight'} for ${event.paymentNo}`,
      };
    const results: [string, RefundState][] = [];
    for (const r of refunds) {
      if (event.amount !== null && event.refundNo && event.amount !== r.amount) {
        return {
          outcome: 'rejected',
          reason: 'amount_mismatch',
          message: `notified ${event.amount}, refund is ${r.amount}`,
        };
      }
      if (r.status !== 'processing') continue;
      const result: RefundState =
        event.confirmByQuery || !event.refundNo
          ? await provider.queryRefund(inputOf(r))
          : event.state === 'processing'
            ? { kind: 'processing', providerRefundNo: null }
            : event.state === 'succeeded'
              ? { kind: 'succeeded', providerRefundNo: null }
              : { kind: 'failed', reason: 'provider_closed', message: 'the provider closed the refund' };
      results.push([r.refund_no, result]);
    }
    if (results.length === 0) return { outcome: 'duplicate' };
    return {
      outcome: 'applied',
      async apply(sql) {
        let outcome: 'applied' | 'duplicate' = 'duplicate';
        for (const [refundNo, result] of results)
          if ((await applyResultIn(sql, refundNo, result)) === 'applied') outcome = 'applied';
        return outcome;
      },
    };
  }

  /** Money that should not have arrived (late, or a second attempt) goes back without review, once. */
  async function returnSurplus(paymentNo: string): Promise<void> {
    await db.tx(async (sql: Sql) => {
      const p = await lockSurplusPayment(sql, paymentNo);
      if (!p) return;
      const now = clock.now();
      const refund = await repo.insertAutomaticRefund(sql, { refundNo: merchantNo('R', now), payment: p, at: now });
      if (!refund) return;
      await record(sql, refund, now, SYSTEM, 'opened_automatically', {
        to: 'approved',
        note: `surplus payment ${paymentNo}`,
      });
      await enqueue(
        sql,
        DRIVE_REFUND_JOB,
        { refundNo: refund.refund_no },
        { runAt: now, dedupeKey: `refund:${refund.refund_no}` },
      );
    });
  }

  /** What the provider says about a refund now, changing nothing (reconciliation asks before it flags). */
  async function ask(refundNo: string): Promise<RefundState | undefined> {
    const r = await load(refundNo);
    return r ? providerFor(deps.providers, r.payment.method).queryRefund(inputOf(r)) : undefined;
  }

  return { drive, applyResult, onRefundEvent, returnSurplus, load, ask };
}

export type RefundProcessing = ReturnType<typeof createRefundProcessing>;
export { repo as refundsRepository };
