import type { Sql } from '../db/client.ts';
import type { OrderRow } from '../orders/order.ts';
import type { PaymentRow } from './payment.ts';

export const insertPayment = async (
  sql: Sql,
  p: Pick<
    PaymentRow,
    'payment_no' | 'order_id' | 'method' | 'channel' | 'merchant_id' | 'amount' | 'currency' | 'created_at'
  >,
) =>
  (
    await sql.query<PaymentRow>(
      `INSERT INTO payments (payment_no, order_id, method, channel, merchant_id, status, amount, currency, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $8) RETURNING *`,
      [p.payment_no, p.order_id, p.method, p.channel, p.merchant_id, p.amount, p.currency, p.created_at],
    )
  )[0]!;

export const findPayment = async (sql: Sql, paymentNo: string) =>
  (await sql.query<PaymentRow>('SELECT * FROM payments WHERE payment_no = $1', [paymentNo]))[0];

export type PaymentWithOrder = PaymentRow & {
  order_no: string;
  order_status: OrderRow['status'];
  order_expires_at: Date;
  order_user_id: number;
};

/** The attempt with what a notification, a poll or a page needs of its order, in one statement. */
export const findPaymentWithOrder = async (sql: Sql, paymentNo: string) =>
  (
    await sql.query<PaymentWithOrder>(
      `SELECT p.*, o.order_no, o.status AS order_status, o.expires_at AS order_expires_at, o.user_id AS order_user_id
       FROM payments p JOIN orders o ON o.id = p.order_id WHERE p.payment_no = $1`,
      [paymentNo],
    )
  )[0];

export const listPaymentsOfOrder = (sql: Sql, orderId: number) =>
  sql.query<PaymentRow>('SELECT * FROM payments WHERE order_id = $1 ORDER BY id', [orderId]);

export const markSurplus = (sql: Sql, id: number) =>
  sql.query('UPDATE payments SET surplus = true WHERE id = $1', [id]);

/**
 * The payment request working on this attempt holds it until `until` (or until released): another request
 * for the same order meanwhile answers 409 payment_in_progress instead of closing or creating over it.
 */
export const setBusyUntil = (sql: Sql, id: number, until: Date | null) =>
  sql.query('UPDATE payments SET busy_until = $1 WHERE id = $2', [until, id]);

/** Saves what the customer pays with, only while the attempt is still pending; false if it moved meanwhile. */
export const saveAction = async (sql: Sql, id: number, action: unknown, now: Date) =>
  (
    await sql.query(
      `UPDATE payments SET action = $1, busy_until = NULL, updated_at = $2 WHERE id = $3 AND status = 'pending' RETURNING id`,
      [JSON.stringify(action), now, id],
    )
  ).length === 1;

export const findPaymentById = async (sql: Sql, id: number) =>
  (await sql.query<PaymentRow>('SELECT * FROM payments WHERE id = $1', [id]))[0];

/** A succeeded surplus payment, locked: the automatic refund that returns it is opened once. */
export const lockSurplusPayment = async (sql: Sql, paymentNo: string) =>
  (
    await sql.query<PaymentRow>(
      `SELECT * FROM payments WHERE payment_no = $1 AND status = 'succeeded' AND surplus FOR UPDATE`,
      [paymentNo],
    )
  )[0];

/** The payment a refund of the order is taken from: its first succeeded attempt that is not surplus. */
export const findRefundablePayment = async (sql: Sql, orderId: number) =>
  (
    await sql.query<PaymentRow>(
      `SELECT * FROM payments WHERE order_id = $1 AND status = 'succeeded' AND NOT surplus ORDER BY id LIMIT 1`,
      [orderId],
    )
  )[0];

/**
 * mallpay gives up on a face-to-face attempt and will cancel it at the provider (migration 018): from now on no
 * report of a payment marks it paid. False when the attempt was no longer pending (paid meanwhile: nothing to cancel).
 */
export const markCancelRequested = async (sql: Sql, id: number, now: Date) =>
  (
    await sql.query(
      `UPDATE payments SET cancel_requested = true, updated_at = $2 WHERE id = $1 AND status = 'pending' RETURNING id`,
      [id, now],
    )
  ).length === 1;
