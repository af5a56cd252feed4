import type { Sql } from '../db/client.ts';
import type { PaymentRow } from '../payments/payment.ts';
import type { RefundRow } from '../refunds/refund.ts';
import type { DifferenceKind, DifferenceRow } from './reconciliation.ts';

export interface NewDifference {
  key: string;
  source: 'bill' | 'checker';
  provider: string | null;
  billDate: string | null;
  kind: DifferenceKind;
  paymentNo: string | null;
  refundNo: string | null;
  orderNo: string | null;
  providerAmount: number | null;
  ourAmount: number | null;
  detail: string;
}

/** Inserts a difference as open; answers undefined when that key was found before (nothing new). */
export const insertDifference = async (sql: Sql, d: NewDifference, now: Date) =>
  (
    await sql.query<DifferenceRow>(
      `INSERT INTO reconciliation_differences (key, source, provider, bill_date, kind, payment_no, refund_no, order_no, provider_amount, our_amount, status, detail, found_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12) ON CONFLICT (key) DO NOTHING RETURNING *`,
      [
        d.key,
        d.source,
        d.provider,
        d.billDate,
        d.kind,
        d.paymentNo,
        d.refundNo,
        d.orderNo,
        d.providerAmount,
        d.ourAmount,
        d.detail,
        now,
      ],
    )
  )[0];

export const findDifference = async (sql: Sql, key: string) =>
  (await sql.query<DifferenceRow>('SELECT * FROM reconciliation_differences WHERE key = $1', [key]))[0];

export const findDifferenceById = async (sql: Sql, id: number) =>
  (await sql.query<DifferenceRow>('SELECT * FROM reconciliation_differences WHERE id = $1', [id]))[0];

export const listDifferences = (
  sql: Sql,
  f: { date?: string | undefined; provider?: string | undefined; status?: string | undefined },
) =>
  sql.query<DifferenceRow & { resolved_by_email: string | null }>(
    `SELECT d.*, u.email AS resolved_by_email FROM reconciliation_differences d LEFT JOIN users u ON u.id = d.resolved_by
     WHERE ($1::text IS NULL OR d.bill_date = $1) AND ($2::text IS NULL OR d.provider = $2) AND ($3::text IS NULL OR d.status = $3)
     ORDER BY d.id DESC LIMIT 1000`,
    [f.date ?? null, f.provider ?? null, f.status ?? null],
  );

export const countUnsettled = async (sql: Sql) =>
  Number(
    (
      await sql.query<{ n: string }>(`SELECT count(*) AS n FROM reconciliation_differences WHERE status <> 'resolved'`)
    )[0]!.n,
  );

export interface RunRow {
  provider: string;
  bill_date: string;
  status: 'done' | 'not_ready';
  bill_lines: number;
  differences: number;
  new_differences: number;
  runs: number;
  first_run_at: Date;
  last_run_at: Date;
}

export const recordRun = (
  sql: Sql,
  r: {
    provider: string;
    billDate: string;
    status: RunRow['status'];
    lines: number;
    differences: number;
    fresh: number;
  },
  now: Date,
) =>
  sql.query(
    `INSERT INTO reconciliation_runs (provider, bill_date, status, bill_lines, differences, new_differences, first_run_at, last_run_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
     ON CONFLICT (provider, bill_date) DO UPDATE SET status = EXCLUDED.status, bill_lines = EXCLUDED.bill_lines,
       differences = EXCLUDED.differences, new_differences = EXCLUDED.new_differences, runs = reconciliation_runs.runs + 1, last_run_at = EXCLUDED.last_run_at`,
    [r.provider, r.billDate, r.status, r.lines, r.differences, r.fresh, now],
  );

export const listRuns = (sql: Sql, date: string | undefined) =>
  sql.query<RunRow>(
    'SELECT * FROM reconciliation_runs WHERE ($1::text IS NULL OR bill_date = $1) ORDER BY bill_date DESC, provider LIMIT 500',
    [date ?? null],
  );

export type PaymentWithOrderNo = PaymentRow & { order_no: string };
export type RefundWithPaymentNo = RefundRow & {
  payment_no: string;
  /** The number of one request sent for the refund, and what became of it (refund_requests). */
  request_no: string;
  request_status: string;
};

/** Our attempts a bill names, plus every attempt of the method that succeeded within the day. */
export const paymentsForBill = (sql: Sql, method: string, paymentNos: string[], day: { start: Date; end: Date }) =>
  sql.query<PaymentWithOrderNo>(
    `SELECT p.*, o.order_no FROM payments p JOIN orders o ON o.id = p.order_id
     WHERE p.method = $1 AND (p.payment_no = ANY($2) OR (p.status = 'succeeded' AND p.succeeded_at >= $3 AND p.succeeded_at < $4))`,
    [method, paymentNos, day.start, day.end],
  );

/**
 * One row per request sent to the provider (a refund retried under a new number has several), for the
 * request numbers a bill names plus every refund of the method that succeeded within the day; `request_no` is
 * the number the provider's bill knows it by.
 */
export const refundsForBill = (sql: Sql, method: string, requestNos: string[], day: { start: Date; end: Date }) =>
  sql.query<RefundWithPaymentNo>(
    `SELECT r.*, p.payment_no, q.request_no, q.status AS request_status
     FROM refunds r JOIN payments p ON p.id = r.payment_id JOIN refund_requests q ON q.refund_id = r.id
     WHERE p.method = $1 AND (q.request_no = ANY($2)
       OR (q.status = 'succeeded' AND r.status = 'succeeded' AND r.finished_at >= $3 AND r.finished_at < $4))`,
    [method, requestNos, day.start, day.end],
  );

/** Attempts still pending after their order's TTL (the consistency checker closes or settles them). */
export const listStalePendingAttempts = (sql: Sql, expiredBefore: Date) =>
  sql.query<PaymentRow & { order_no: string; order_status: string; expires_at: Date }>(
    `SELECT p.*, o.order_no, o.status AS order_status, o.expires_at FROM payments p JOIN orders o ON o.id = p.order_id
     WHERE p.status = 'pending' AND o.expires_at < $1 ORDER BY p.id LIMIT 200`,
    [expiredBefore],
  );

/** Refunds sent to their provider and not finished yet. */
export const listRefundsAtProvider = (sql: Sql) =>
  sql.query<{ refund_no: string; method: string; sent_at: Date }>(
    `SELECT r.refund_no, p.method, r.sent_at FROM refunds r JOIN payments p ON p.id = r.payment_id
     WHERE r.status = 'processing' AND r.sent_at IS NOT NULL ORDER BY r.id LIMIT 200`,
  );

/** Orders changed since `since` whose status and money disagree (`why` null where they agree). */
export const listOrdersMoneyDisagrees = (sql: Sql, since: Date) =>
  sql.query<{ order_no: string; status: string; why: string; paid: string; refunded: string }>(
    `SELECT o.order_no, o.status, o.paid_amount AS paid, o.refunded_amount AS refunded,
         CASE WHEN o.status IN ('paid','refund_pending','partially_refunded','refunded') AND NOT EXISTS
                (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded' AND NOT p.surplus) THEN 'paid_without_payment'
              WHEN o.status IN ('pending_payment','closed') AND EXISTS
                (SELECT 1 FROM payments p WHERE p.order_id = o.id AND p.status = 'succeeded' AND NOT p.surplus) THEN 'payment_without_paid_order'
              WHEN o.refunded_amount <> COALESCE((SELECT sum(r.amount) FROM refunds r WHERE r.order_id = o.id AND r.status = 'succeeded' AND NOT r.automatic), 0) THEN 'refunded_amount_differs'
         END AS why
       FROM orders o WHERE o.updated_at > $1`,
    [since],
  );
