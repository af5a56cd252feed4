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
import * as requests from './refund-requests.repository.ts';
import type { RefundRequestRow } from './refund-requests.repository.ts';
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

  /** What the provider needs to hear about one request of a refund: its number and its time of sending. */
  const inputOf = (r: RefundWithPayment, request: Pick<RefundRequestRow, 'request_no' | 'sent_at'>): RefundInput => ({
    refundNo: request.request_no,
    createdAt: r.created_at,
    sentAt: request.sent_at,
    amount: r.amount,
    reason: r.reason,
    payment: { ...toAttemptRef(r.payment), providerTradeNo: r.payment.provider_trade_no ?? '' },
    notifyUrl: `${deps.publicUrl}/notify/${r.payment.method}`,
  });

  /** Applies a provider's answer about one request in its own transaction; answers whether anything changed. */
  const applyResult = (requestNo: string, result: RefundState, actor = PROVIDER) =>
    db.tx((sql) => applyResultIn(sql, requestNo, result, actor));

  /**
   * Applies a provider's answer about one request in the caller's transaction (a notification's verdict).
   * Only the live request moves its refund: an answer about a number already ended (failed before a retry, or
   * superseded) changes nothing, and one that says such a number refunded after all is raised to staff.
   */
  async function applyResultIn(
    sql: Sql,
    requestNo: string,
    result: RefundState,
    actor = PROVIDER,
  ): Promise<'applied' | 'duplicate'> {
    if (result.kind !== 'succeeded' && result.kind !== 'failed') return 'duplicate';
    const request = await requests.findRequest(sql, requestNo);
    if (!request) return 'duplicate';
    const refund = await repo.findRefundWithOrder(sql, { id: request.refund_id }, { lock: true });
    if (!refund) return 'duplicate';
    const now = clock.now();
    if (request.status !== 'live' || refund.status !== 'processing') {
      // Never expected (a provider's final failure is final); the day's bill shows it to staff as a difference.
      if (result.kind === 'succeeded' && request.status !== 'succeeded')
        deps.log.error(
          { refundNo: refund.refund_no, requestNo, was: request.status },
          'provider refunded an ended request',
        );
      return 'duplicate';
    }
    await requests.finishRequest(sql, request.id, result.kind, now);
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
   * Saves a new request before it is sent (and moves an approved refund to processing): the first under the
   * refund's own number, each later one (a staff retry after a final failure, a UnionPay resend after "not
   * found") under a new number. Undefined if another driver holds a live request already.
   */
  async function newRequest(r: RefundWithPayment, now: Date, superseded?: RefundRequestRow) {
    return db.tx(async (sql) => {
      if (superseded && !(await requests.finishRequest(sql, superseded.id, 'not_found', now))) return undefined;
      const first = (await requests.countRequests(sql, r.id)) === 0;
      const request = await requests.insertRequest(sql, {
        refundId: r.id,
        requestNo: first ? r.refund_no : merchantNo('R', now),
        sentAt: now,
      });
      if (!request) return undefined;
      if (r.status === 'approved') await move(sql, r, 'processing', SYSTEM, 'sent', now, null, { sent_at: now });
      else {
        await repo.markSent(sql, r.id, now);
        if (!first) await record(sql, r, now, SYSTEM, 'sent_again', { note: request.request_no });
      }
      return request;
    });
  }

  /**
   * The job that moves an approved refund on: send it, or ask about it, until the provider gives a final
   * answer. A request is saved before it is sent, so after a crash the job asks instead of sending blind. A
   * request the provider never received is sent again as its provider wants it: Alipay and WeChat Pay take the
   * same number again (the same request), UnionPay a new orderId with the time of sending.
   */
  async function drive(refundNo: string): Promise<JobOutcome> {
    const r = await load(refundNo);
    if (!r || (r.status !== 'approved' && r.status !== 'processing')) return;
    const provider = providerFor(deps.providers, r.payment.method);
    const now = clock.now();
    let request = await requests.findLiveRequest(db, r.id);
    let result: RefundState;
    if (!request) {
      request = await newRequest(r, now);
      if (!request) return { again: new Date(now.getTime() + followUpDelayMs('refund.drive', 0)) };
      result = await provider.refund(inputOf(r, request));
    } else {
      result = await provider.queryRefund(inputOf(r, request));
      if (result.kind === 'not_found') {
        if (provider.refundResend === 'new_number') {
          const fresh = await newRequest(r, now, request);
          if (fresh) result = await provider.refund(inputOf(r, (request = fresh)));
        } else if (now.getTime() - request.sent_at.getTime() < RESEND_WINDOW_MS) {
          // The provider never received it: the same number again is the same request.
          result = await provider.refund(inputOf(r, request));
        }
      }
    }
    failpoint('refund.after_provider_call');
    deps.log.info({ refundNo, requestNo: request.request_no, result: result.kind }, 'refund at provider');
    await applyResult(request.request_no, result);
    if (result.kind === 'succeeded' || result.kind === 'failed') return;
    const age = now.getTime() - request.sent_at.getTime();
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
    // A notice names the number of one request (any a refund was ever sent under), or only the payment: then
    // every live request of its refunds is asked about.
    const named = event.refundNo
      ? [await requests.findRequest(db, event.refundNo)]
      : await requests.liveRequestsOfPayment(db, event.paymentNo);
    const candidates = await Promise.all(
      named.map(async (q) => (q ? { request: q, refund: await load(q.refund_no) } : undefined)),
    );
    // Some refund notifications do not name the payment (UnionPay's carries only origQryId): the refund
    // number then identifies it alone.
    const found = candidates.filter(
      (c): c is { request: (typeof named)[number] & {}; refund: RefundWithPayment } =>
        !!c?.refund && (!event.paymentNo || c.refund.payment.payment_no === event.paymentNo),
    );
    if (found.length === 0)
      return {
        outcome: 'rejected',
        reason: 'unknown_refund',
        message: `no refund ${event.refundNo ?? 'in flight'} for ${event.paymentNo}`,
      };
    const results: [string, RefundState][] = [];
    for (const { request, refund: r } of found) {
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
          ? await provider.queryRefund(inputOf(r, request))
          : event.state === 'processing'
            ? { kind: 'processing', providerRefundNo: null }
            : event.state === 'succeeded'
              ? { kind: 'succeeded', providerRefundNo: null }
              : { kind: 'failed', reason: 'provider_closed', message: 'the provider closed the refund' };
      results.push([request.request_no, result]);
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
    const request = r && (await requests.findCurrentRequest(db, r.id));
    return r && request ? providerFor(deps.providers, r.payment.method).queryRefund(inputOf(r, request)) : undefined;
  }

  return { drive, applyResult, onRefundEvent, returnSurplus, load, ask };
}

export type RefundProcessing = ReturnType<typeof createRefundProcessing>;
export { repo as refundsRepository };
