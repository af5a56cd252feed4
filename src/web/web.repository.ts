import type { Sql } from '../db/client.ts';
import type { PaymentRow } from '../payments/payment.ts';
import type { RefundRow } from '../refunds/refund.ts';

/** Read-only lookups the pages need that no feature repository has. Queries only. */

export type RefundWithOrder = RefundRow & {
  order_no: string;
  order_user_id: number;
  order_status: string;
  paid_amount: number;
  refunded_amount: number;
};

export const findRefundWithOrder = async (sql: Sql, refundNo: string) =>
  (
    await sql.query<RefundWithOrder>(
      `SELECT r.*, o.order_no, o.user_id AS order_user_id, o.status AS order_status, o.paid_amount, o.refunded_amount
       FROM refunds r JOIN orders o ON o.id = r.order_id WHERE r.refund_no = $1`,
      [refundNo],
    )
  )[0];

export const findPaymentById = async (sql: Sql, id: number) =>
  (await sql.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]))[0];

/** Failed refunds staff have not given up on, oldest first: the console's retry list. */
export const listOpenFailedRefunds = (sql: Sql, limit: number) =>
  sql.query<RefundWithOrder>(
    `SELECT r.*, o.order_no, o.user_id AS order_user_id, o.status AS order_status, o.paid_amount, o.refunded_amount
     FROM refunds r JOIN orders o ON o.id = r.order_id
     WHERE r.status = 'failed' AND r.abandoned_at IS NULL ORDER BY r.id LIMIT $1`,
    [limit],
  );

export const listPendingReview = (sql: Sql, limit: number) =>
  sql.query<RefundWithOrder>(
    `SELECT r.*, o.order_no, o.user_id AS order_user_id, o.status AS order_status, o.paid_amount, o.refunded_amount
     FROM refunds r JOIN orders o ON o.id = r.order_id
     WHERE r.status = 'pending_review' ORDER BY r.created_at, r.id LIMIT $1`,
    [limit],
  );
