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

export const setAction = (sql: Sql, id: number, action: unknown, now: Date) =>
  sql.query('UPDATE payments SET action = $1, updated_at = $2 WHERE id = $3', [JSON.stringify(action), now, id]);
