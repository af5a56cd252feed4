import { z } from 'zod';

/**
 * Every kind of durable job, once, with the payload it carries (issue 20.4). `enqueue` takes the payload
 * typed by its kind, the worker checks it with the schema before the handler runs, and app.ts must give a
 * handler for every kind (a missing one does not compile). docs/architecture.md lists them.
 */
export const JOB_KINDS = {
  /** orders/order-expiry.job.ts: close an unpaid order at its TTL (its attempts at the providers first). */
  'order.expire': z.object({ orderNo: z.string() }),
  /** payments: ask the provider about a pending attempt until a while past its order's TTL. */
  'payment.poll': z.object({ paymentNo: z.string() }),
  /** payments: a face-to-face attempt waiting for the buyer: ask, and cancel it at the provider once its time is up. */
  'payment.code_deadline': z.object({ paymentNo: z.string() }),
  /** refunds: open the automatic refund of money that should not have arrived. */
  'payment.return_surplus': z.object({ paymentNo: z.string() }),
  /** refunds: send an approved refund, then ask until the provider gives a final answer. */
  'refund.drive': z.object({ refundNo: z.string() }),
  /** refunds: e-mail a customer message (only where SMTP_URL is set). */
  'notice.email': z.object({ messageId: z.coerce.number().int() }),
  /** reconciliation: once a day, one reconciliation.run per provider for yesterday. */
  'reconciliation.daily': z.object({}),
  /** reconciliation: one provider's bill of one Beijing date against our books. */
  'reconciliation.run': z.object({ provider: z.string(), date: z.string() }),
  /** reconciliation: the consistency checker, every 10 minutes. */
  'consistency.check': z.object({}),
} as const;

export type JobKind = keyof typeof JOB_KINDS;
export type JobPayload<K extends JobKind> = z.infer<(typeof JOB_KINDS)[K]>;

/**
 * The one backoff policy. A job that throws runs again after `retryBackoffMs(attempts)`; a job that is not
 * done yet (a poll) asks again after half its age, at least 5 s and at most its kind's cap.
 */
export const BACKOFF = {
  retry: { firstMs: 2_000, capMs: 15 * 60_000 },
  followUp: { minMs: 5_000, capMs: { 'payment.poll': 5 * 60_000, 'refund.drive': 10 * 60_000 } },
} as const;

export function retryBackoffMs(attempts: number): number {
  return Math.min(BACKOFF.retry.firstMs * 2 ** (Math.max(attempts, 1) - 1), BACKOFF.retry.capMs);
}

export function followUpDelayMs(kind: keyof typeof BACKOFF.followUp.capMs, ageMs: number): number {
  return Math.min(Math.max(ageMs / 2, BACKOFF.followUp.minMs), BACKOFF.followUp.capMs[kind]);
}
