import type { PaymentRow } from '../payments/payment.ts';
import type { Sql } from '../db/client.ts';
import type { RefundRow, RefundStatus } from './refund.ts';
import { HOLDING_STATUSES } from './refund.ts';

export const insertRefund = async (
  sql: Sql,
  r: Pick<
    RefundRow,
    | 'refund_no'
    | 'order_id'
    | 'payment_id'
    | 'user_id'
    | 'automatic'
    | 'status'
    | 'amount'
    | 'currency'
    | 'reason'
    | 'approvals_needed'
    | 'created_at'
  >,
) =>
  (
    await sql.query<RefundRow>(
      `INSERT INTO refunds (refund_no, order_id, payment_id, user_id, automatic, status, amount, currency, reason, approvals_needed, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING *`,
      [
        r.refund_no,
        r.order_id,
        r.payment_id,
        r.user_id,
        r.automatic,
        r.status,
        r.amount,
        r.currency,
        r.reason,
        r.approvals_needed,
        r.created_at,
      ],
    )
  )[0]!;

export const findRefund = async (sql: Sql, refundNo: string) =>
  (await sql.query<RefundRow>('SELECT * FROM refunds WHERE refund_no = $1', [refundNo]))[0];

/** The customer-applied refunds of an order that still hold part of its refundable amount. */
export const heldAmount = async (sql: Sql, orderId: number) =>
  (
    await sql.query<{ held: number; n: number }>(
      `SELECT COALESCE(sum(amount), 0) AS held, count(*) AS n FROM refunds
       WHERE order_id = $1 AND NOT automatic AND abandoned_at IS NULL AND status = ANY($2)`,
      [orderId, HOLDING_STATUSES],
    )
  )[0]!;

/** Refunds of the order still in flight (under review or at the provider), other than `exceptId`. */
export const countInFlight = async (sql: Sql, orderId: number, exceptId: number) =>
  (
    await sql.query<{ n: number }>(
      `SELECT count(*) AS n FROM refunds WHERE order_id = $1 AND id <> $2 AND NOT automatic
       AND (status IN ('pending_review', 'approved', 'processing') OR (status = 'failed' AND abandoned_at IS NULL))`,
      [orderId, exceptId],
    )
  )[0]!.n;

export const countRefundsOfOrder = async (sql: Sql, orderId: number) =>
  (
    await sql.query<{ n: number }>(`SELECT count(*) AS n FROM refunds WHERE order_id = $1 AND status <> 'rejected'`, [
      orderId,
    ])
  )[0]!.n;

export const insertEvent = (
  sql: Sql,
  e: {
    refundId: number;
    at: Date;
    actorId: number | null;
    actorRole: string;
    action: string;
    from?: RefundStatus | null;
    to?: RefundStatus | null;
    note?: string | null;
  },
) =>
  sql.query(
    'INSERT INTO refund_events (refund_id, at, actor_id, actor_role, action, from_status, to_status, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [e.refundId, e.at, e.actorId, e.actorRole, e.action, e.from ?? null, e.to ?? null, e.note ?? null],
  );

export const listEvents = (sql: Sql, refundId: number) =>
  sql.query<{
    at: Date;
    actor_id: number | null;
    actor_role: string;
    action: string;
    from_status: string | null;
    to_status: string | null;
    note: string | null;
    actor_email: string | null;
  }>(
    `SELECT e.at, e.actor_id, e.actor_role, e.action, e.from_status, e.to_status, e.note, u.email AS actor_email
     FROM refund_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.refund_id = $1 ORDER BY e.id`,
    [refundId],
  );

/** Records one staff approval; false when this staff member had already approved. */
export const insertApproval = async (sql: Sql, refundId: number, staffId: number, note: string, at: Date) =>
  (
    await sql.query(
      'INSERT INTO refund_approvals (refund_id, staff_id, note, at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING staff_id',
      [refundId, staffId, note, at],
    )
  ).length === 1;

export const countApprovals = async (sql: Sql, refundId: number) =>
  (await sql.query<{ n: number }>('SELECT count(*) AS n FROM refund_approvals WHERE refund_id = $1', [refundId]))[0]!.n;

export const listRefundsOfOrder = (sql: Sql, orderId: number) =>
  sql.query<RefundRow>('SELECT * FROM refunds WHERE order_id = $1 ORDER BY id', [orderId]);

/** A refund with what every reader needs of its order: the one place refunds and orders are joined. */
export type RefundWithOrder = RefundRow & {
  order_no: string;
  order_user_id: number;
  order_status: string;
  paid_amount: number;
  refunded_amount: number;
};
const REFUND_WITH_ORDER = `SELECT r.*, o.order_no, o.user_id AS order_user_id, o.status AS order_status, o.paid_amount, o.refunded_amount
  FROM refunds r JOIN orders o ON o.id = r.order_id`;

/** `lock`: the refund's row (not the order's) is held for the rest of the transaction. */
export const findRefundWithOrder = async (sql: Sql, refundNo: string | { id: number }, opts: { lock?: boolean } = {}) =>
  (
    await sql.query<RefundWithOrder>(
      `${REFUND_WITH_ORDER} WHERE ${typeof refundNo === 'string' ? 'r.refund_no' : 'r.id'} = $1${opts.lock ? ' FOR UPDATE OF r' : ''}`,
      [typeof refundNo === 'string' ? refundNo : refundNo.id],
    )
  )[0];

/**
 * Refunds with their orders: of one status or any (`status`), only failed ones staff have not given up on
 * (`openFailed`), oldest first by id, or by creation for the review queue (`byCreation`).
 */
export const listRefundsWithOrder = (
  sql: Sql,
  filter: { status?: RefundStatus | undefined; openFailed?: boolean; byCreation?: boolean; limit: number },
) =>
  sql.query<RefundWithOrder>(
    `${REFUND_WITH_ORDER}
     WHERE ($1::text IS NULL OR r.status = $1) AND (NOT $2 OR (r.status = 'failed' AND r.abandoned_at IS NULL))
     ORDER BY ${filter.byCreation ? 'r.created_at, r.id' : 'r.id'} LIMIT $3`,
    [filter.status ?? null, filter.openFailed ?? false, filter.limit],
  );

export type RefundWithPayment = RefundRow & { order_no: string; payment: PaymentRow };

/** The refund with its order's number and its whole payment row (what the provider calls need). */
export const findRefundWithPayment = async (sql: Sql, refundNo: string) =>
  (
    await sql.query<RefundWithPayment>(
      `SELECT r.*, o.order_no, row_to_json(p) AS payment FROM refunds r
       JOIN orders o ON o.id = r.order_id JOIN payments p ON p.id = r.payment_id WHERE r.refund_no = $1`,
      [refundNo],
    )
  )[0];

/** Set before each send, so that after a crash the refund is asked about instead of sent blind. */
export const markSent = (sql: Sql, id: number, at: Date) =>
  sql.query('UPDATE refunds SET sent_at = $1 WHERE id = $2', [at, id]);

/** The automatic refund of a surplus payment, once per payment (a second insert answers undefined). */
export const insertAutomaticRefund = async (
  sql: Sql,
  r: { refundNo: string; payment: Pick<PaymentRow, 'id' | 'order_id' | 'amount' | 'currency'>; at: Date },
) =>
  (
    await sql.query<RefundRow>(
      `INSERT INTO refunds (refund_no, order_id, payment_id, user_id, automatic, status, amount, currency, reason, created_at, updated_at)
       VALUES ($1, $2, $3, NULL, true, 'approved', $4, $5, 'money that should not have arrived: returned automatically', $6, $6)
       ON CONFLICT (payment_id) WHERE automatic DO NOTHING RETURNING *`,
      [r.refundNo, r.payment.order_id, r.payment.id, r.payment.amount, r.payment.currency, r.at],
    )
  )[0];

/** Staff gave up on a failed refund: it stays failed, marked closed. */
export const markAbandoned = async (sql: Sql, id: number, at: Date) =>
  (
    await sql.query<RefundRow>('UPDATE refunds SET abandoned_at = $1, updated_at = $1 WHERE id = $2 RETURNING *', [
      at,
      id,
    ])
  )[0];
